"""The check-in fan-out under pressure: rate limits, a crash in the middle, two scheduler processes."""

from __future__ import annotations

import threading

import pytest

from bot.app import create_app
from bot.services import checkin_plan, deliveries
from handlers.blocks.checkin import invite_message
from handlers.jobs import deliver, run_checkins, send_due_checkins
from storage.models import Delivery
from tests.checkin_steps import GREETING, chair_says, dms
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, set_up_group


def add_managers(driver, fake, n: int) -> list[str]:
    users = [f"UM{i:03d}" for i in range(n)]
    for user in users:
        fake.add_user(user, user.lower(), f"Manager {user}")
        fake.add_member(CHANNEL, user)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/group", f"role <@{user}> manager")
        assert "is now *manager*" in ephemeral_to(fake, "UCHAIR", mark)
    return users


def test_thirty_managers_each_get_exactly_one_dm_through_a_few_rate_limits(bot, driver, fake, db):
    set_up_group(driver, fake)
    users = add_managers(driver, fake, 30)
    fake.rate_limit_every(12, "chat.postMessage", retry_after=0)  # slack_sdk adds up to 1 s of jitter to each
    assert "going out to 30 managers" in chair_says(driver, fake, "send")
    fake.wait_until(lambda: db.count(Delivery, status="sent") == 30, timeout=20)
    assert [len(dms(fake, u, GREETING)) for u in users] == [1] * 30
    assert any(c.status == 429 for c in fake.calls_to("chat.postMessage"))


def test_a_crash_in_the_middle_of_a_fan_out_resumes_without_duplicates(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    users = add_managers(driver, fake, 6)
    chair_says(driver, fake, "schedule monday 11:00")  # the clock says Monday 23 November, 10:00 UTC
    clock.advance(hours=1)
    deps, client = bot.bundle.deps, bot.bundle.app.client
    checkin_plan.plan_due(deps.uow(), deps.clock)
    jobs = checkin_plan.claim_due(deps.uow(), deps.clock, limit=4)
    deliver(client, deps, jobs[0])
    deliver(client, deps, jobs[1])
    assert deliveries.begin_send(deps.uow(), deps.clock, jobs[2])
    client.chat_postMessage(channel=jobs[2].user_id, **invite_message(jobs[2], deps.texts))  # Slack got it...
    bot.restart()  # ...but the process stopped before recording it, and before sending the fourth

    clock.advance(seconds=10)
    assert run_checkins(bot.bundle.app.client, bot.bundle.deps) == 2  # the unclaimed two; the lost claims hold
    clock.advance(seconds=15)  # nobody renews the lost claims: they lapse; one is found in Slack, one is sent
    assert run_checkins(bot.bundle.app.client, bot.bundle.deps) == 1
    assert [len(dms(fake, u, GREETING)) for u in users] == [1] * 6
    assert db.count(Delivery, status="sent") == 6
    [lookup] = fake.calls_to("conversations.history")  # only the claim that may have reached Slack is looked up
    assert lookup.args["include_all_metadata"] in ("1", "true")


def test_a_live_sender_keeps_its_claims_and_a_lost_claim_cannot_send(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    add_managers(driver, fake, 2)
    chair_says(driver, fake, "schedule monday 11:00")
    clock.advance(hours=1)
    deps = bot.bundle.deps
    checkin_plan.plan_due(deps.uow(), clock)
    first, second = checkin_plan.claim_due(deps.uow(), clock)
    held = deliveries.Holding(deps.uow, clock)
    held.add([first])
    clock.advance(seconds=15)
    held.renew_now()  # what the holder's thread does every few seconds while it works
    clock.advance(seconds=15)
    [taken] = checkin_plan.claim_due(deps.uow(), clock)  # the unrenewed claim lapsed and is taken over
    assert taken.id == second.id and taken.attempt == second.attempt + 1 and not taken.uncertain
    assert not deliveries.begin_send(deps.uow(), clock, second)  # the old holder must not send it
    assert deliveries.begin_send(deps.uow(), clock, taken) and deliveries.begin_send(deps.uow(), clock, first)


def test_a_failed_send_is_retried_later_with_back_off(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    [user] = add_managers(driver, fake, 1)
    fake.fail("chat.postMessage", status=500, times=3)  # the client's own retries (2) are used up too
    chair_says(driver, fake, "send")
    fake.wait_until(lambda: db.one(Delivery).status == "failed")
    assert not dms(fake, user, GREETING)
    assert send_due_checkins(bot.bundle.app.client, bot.bundle.deps) == 0  # not yet: back-off
    clock.advance(minutes=1)
    assert send_due_checkins(bot.bundle.app.client, bot.bundle.deps) == 1
    assert len(dms(fake, user, GREETING)) == 1 and db.one(Delivery).attempts == 2


def test_two_schedulers_on_postgresql_send_each_dm_once(engine, bot, driver, fake, db, clock):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks: one scheduler process is assumed there")
    set_up_group(driver, fake)
    users = add_managers(driver, fake, 20)
    chair_says(driver, fake, "schedule monday 11:00")
    clock.advance(hours=1)
    other = create_app(bot.settings, clock=clock, engine=engine)
    fake.latency(0.01, "chat.postMessage")  # so the two really overlap
    checkin_plan.plan_due(other.deps.uow(), clock)
    counts: list[int] = []
    runners = [threading.Thread(target=lambda b=b: counts.append(send_due_checkins(b.app.client, b.deps, batch=2)))
               for b in (bot.bundle, other)]
    for t in runners:
        t.start()
    for t in runners:
        t.join()
    assert sum(counts) == 20, counts  # (typically split between the two, e.g. [10, 10])
    assert [len(dms(fake, u, GREETING)) for u in users] == [1] * 20
