"""The log, read through the handler `python -m bot` logs with, at DEBUG: no member text, token or secret,
one line per record, and one line (size and reason) per refused request."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator

import pytest

from bot.logs import WithholdSlackBodies, make_handler
from tests.e2e.front_door_cases import FORM, Case, send
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, next_stage, posted, reply, set_up_group, start_meeting

# Everything members type carries one of these; none may reach the log.
TOKENS = {name: f"ZQX{name}{i}" for i, name in enumerate(
    ["group", "checkin", "rule", "modalrule", "agreement", "action", "agency", "baddate", "report", "forged",
     "badsig", "stale", "note"])}


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Everything logged, at DEBUG, from before the bot is built (bolt copies the root level then)."""
    stream, root = io.StringIO(), logging.getLogger()
    handler, level = make_handler(stream), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_meeting_at_debug_logs_no_member_text_token_or_secret(log, bot, driver, fake):
    t = TOKENS
    set_up_group(driver, fake, name=f"Group {t['group']}")
    give_roles(driver, fake)
    card = start_meeting(driver, fake)
    reply(driver, fake, "UMGR1", card, f"Alex here {t['checkin']}")
    rules_card = next_stage(driver, fake, "Ground rules")
    reply(driver, fake, "UNHS", rules_card, f"No blame {t['rule']}")
    mark = fake.mark()
    driver.click_button("UMGR2", CHANNEL, rules_card["ts"], "Propose a rule")
    fake.wait_for("views.open", after=mark)
    assert driver.submit_view("UMGR2", fake.last_view("UMGR2"), {"text": f"Listen {t['modalrule']}"}).status == 200
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    agreement_card = posted(fake, "Partnership agreement", after=mark)
    reply(driver, fake, "UCQC", agreement_card, f"Share early {t['agreement']}")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", f"add Visit homes {t['action']} owner <@UMGR1> agency {t['agency']}")
    ephemeral_to(fake, "UCHAIR", mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", f"schedule {t['baddate']}")  # refused: not a date
    ephemeral_to(fake, "UCHAIR", mark)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", f"report 999 done {t['report']}")  # refused: no such action
    ephemeral_to(fake, "UMGR1", mark)

    text = log.getvalue()
    leaked = {name: token for name, token in TOKENS.items() if token in text}
    assert leaked == {}, "member text in the log"
    assert fake.bot_token not in text and fake.signing_secret not in text
    assert all(line.count(" ") >= 3 for line in text.splitlines())  # every line is a whole record


def test_without_the_filter_the_same_traffic_would_leak(log, bot, driver, fake, monkeypatch):
    """Proof that the test above can see a leak: bolt and slack_sdk log what members wrote at DEBUG."""
    monkeypatch.setattr(WithholdSlackBodies, "filter", lambda self, record: True)
    set_up_group(driver, fake, name=f"Group {TOKENS['group']}")
    assert TOKENS["group"] in log.getvalue()


def test_a_refused_request_leaves_one_line_with_its_size_and_reason_and_no_forged_line(log, bot):
    forged = f"x\n2026-12-01 10:00:00,000 ERROR handlers: {TOKENS['forged']}\r\n".encode()
    before = log.getvalue()
    assert send(bot.base_url, Case("forger", forged, FORM, 401, signed=False), b"") == 401
    lines = log.getvalue()[len(before):].splitlines()
    assert len(lines) == 1 and "WARNING bot.server: refused request: 401" in lines[0], lines
    assert f"({len(forged)} bytes)" in lines[0] and TOKENS["forged"] not in lines[0] and " ERROR " not in lines[0]


def test_badly_signed_and_stale_requests_are_refused_without_their_bodies_in_the_log(log, bot, driver):
    before = log.getvalue()
    answer = driver.command("UCHAIR", CHANNEL, "/actions", f"add {TOKENS['badsig']}", signature="v0=" + "0" * 64)
    assert answer.status == 401
    stale = str(int(time.time()) - 360)  # a real request delayed six minutes
    assert driver.command("UCHAIR", CHANNEL, "/actions", f"add {TOKENS['stale']}", timestamp=stale).status == 401
    lines = log.getvalue()[len(before):].splitlines()
    assert [line.split("refused request: ")[1] for line in lines] == [
        line.split("refused request: ")[1] for line in lines if "refused request: 401" in line]
    assert len(lines) == 2 and "bad signature" in lines[0] and "stale timestamp" in lines[1]
    assert TOKENS["badsig"] not in "".join(lines) and TOKENS["stale"] not in "".join(lines)


def test_a_record_with_line_breaks_and_an_exception_is_one_line_without_the_exception_message(log):
    try:
        raise ValueError(f"could not parse {TOKENS['note']}")
    except ValueError:
        logging.getLogger("handlers").exception("failed\nERROR forged line\u2028too")
    lines = log.getvalue().splitlines()
    assert len(lines) == 1 and "failed\\nERROR forged line\\u2028too" in lines[0]
    assert "builtins.ValueError (message withheld)" in lines[0] and TOKENS["note"] not in lines[0]


def test_slack_libraries_speak_only_from_warning_up_and_only_their_headline(log):
    body = f'{{"text": "{TOKENS["note"]}"}}'
    logging.getLogger("slack_sdk.web.base_client").debug("Sending a request - body: %s", body)
    logging.getLogger("slack_bolt.RequestVerification").info("Invalid request signature detected (body: %s)", body)
    logging.getLogger("slack_bolt.App").warning(f"Unhandled request ({body})")
    lines = log.getvalue().splitlines()
    assert len(lines) == 1 and "slack_bolt.App: Unhandled request (details withheld)" in lines[0], lines
