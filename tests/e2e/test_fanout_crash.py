"""kill -9 in the middle of a weekly check-in fan-out: `python -m bot` restarted on the same database finishes
it promptly, with exactly one DM per manager, against a stand-in that returns metadata only on request."""

from __future__ import annotations

import time

import pytest

from storage.models import Delivery
from tests.checkin_steps import GREETING, chair_says, dms
from tests.e2e.test_checkin_fanout import add_managers
from tests.harness import make_fake
from tests.process import BotProcess
from tests.steps import set_up_group

MANAGERS = 12
ANSWERED = 4  # Slack answers the first four DMs; the fifth reaches Slack, and then the process dies


@pytest.fixture
def crashable(engine):  # type: ignore[no-untyped-def]
    fake = make_fake()
    bot = BotProcess(fake, engine.url.render_as_string(hide_password=False), scheduler=True)
    yield fake, bot
    bot.stop()
    fake.stop()


def test_a_fan_out_killed_mid_way_completes_within_a_minute_of_restart_with_one_dm_each(crashable, db):
    fake, bot = crashable
    driver = bot.start().driver()
    set_up_group(driver, fake)
    users = add_managers(driver, fake, MANAGERS)
    fake.hold_replies("chat.postMessage", after=ANSWERED)
    assert f"going out to {MANAGERS} managers" in chair_says(driver, fake, "send")
    fake.wait_until(lambda: fake.held_replies() == 1, timeout=20)
    bot.kill()  # -9: the fifth DM is in Slack, unrecorded; the rest of the batch is claimed, unsent
    fake.release_replies()
    assert sum(len(dms(fake, u, GREETING)) for u in users) == ANSWERED + 1
    assert db.count(Delivery, status="sent") == ANSWERED

    restarted = time.monotonic()
    bot.start()
    fake.wait_until(lambda: all(dms(fake, u, GREETING) for u in users), timeout=60,
                    message=f"the fan-out did not finish within 60 s of the restart:\n{bot.output()[-3000:]}")
    fake.wait_until(lambda: db.count(Delivery, status="sent") == MANAGERS, timeout=10)  # and it is recorded
    took = time.monotonic() - restarted
    print(f"fan-out finished {took:.1f} s after the restart")  # reported with -s
    assert [len(dms(fake, u, GREETING)) for u in users] == [1] * MANAGERS
    lookups = fake.calls_to("conversations.history")
    assert len(lookups) == 1, "only the DM that may have reached Slack is looked up"
    assert lookups[0].args.get("include_all_metadata") in ("1", "true")
    assert took < 60
