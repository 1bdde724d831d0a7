"""LOG_FORMAT=json: one JSON object per line, the same text withheld as the one-line format, and the
front door's request id on every line logged while handling a request, the listener's thread included."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import metrics
from bot.logs import make_handler
from bot.services import meetings
from tests.e2e.front_door_cases import FORM, Case, send
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, reply, set_up_group, start_meeting

TOKENS = {name: f"ZQJ{name}{i}" for i, name in enumerate(["group", "checkin", "boom", "forged", "action"])}


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Everything logged at DEBUG through the JSON handler, from before the bot is built."""
    stream, root = io.StringIO(), logging.getLogger()
    handler, level = make_handler(stream, "json"), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def records(stream: io.StringIO, start: int = 0) -> list[dict]:
    lines = stream.getvalue()[start:].splitlines()
    parsed = [json.loads(line) for line in lines]  # every line is one whole JSON object
    assert all(isinstance(r, dict) and {"ts", "level", "logger", "msg", "request_id"} <= set(r) for r in parsed)
    return parsed


def test_json_lines_parse_carry_the_request_id_and_no_member_text(log, bot, driver, fake, monkeypatch):
    set_up_group(driver, fake, name=f"Group {TOKENS['group']}")
    give_roles(driver, fake)
    card = start_meeting(driver, fake)
    reply(driver, fake, "UMGR1", card, f"Alex here {TOKENS['checkin']}")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", f"add Visit homes {TOKENS['action']} owner <@UMGR1>")
    ephemeral_to(fake, "UCHAIR", mark)

    # A line logged in the request's own thread (the front door) and an error in the listener's thread.
    front_door = logging.getLogger("tests.front_door")
    surface_is = metrics.surface_is
    monkeypatch.setattr(metrics, "surface_is", lambda kind: (front_door.info("front door"), surface_is(kind)))

    def fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"status failed for {TOKENS['boom']}")

    monkeypatch.setattr(meetings, "meeting_status", fails)
    failures = []
    for _ in range(2):
        start = len(log.getvalue())
        mark = fake.mark()
        driver.command("UMGR2", CHANNEL, "/meeting", "status")
        told = ephemeral_to(fake, "UMGR2", mark)
        assert "ref" in told.lower() or "went wrong" in told.lower()
        failures.append(records(log, start))
    ids = []
    for lines in failures:
        door = [r for r in lines if r["logger"] == "tests.front_door"]
        errors = [r for r in lines if r["level"] == "ERROR" and r["logger"] == "handlers"]
        assert len(door) == 1 and len(errors) == 1, lines
        assert door[0]["request_id"] and errors[0]["request_id"] == door[0]["request_id"]
        assert "builtins.RuntimeError (message withheld)" in errors[0]["exc"]
        ids.append(door[0]["request_id"])
    assert ids[0] != ids[1]  # one id per request

    start = len(log.getvalue())
    forged = f"x\n{TOKENS['forged']}\r\n".encode()
    assert send(bot.base_url, Case("forger", forged, FORM, 401, signed=False), b"") == 401
    refused = records(log, start)
    assert len(refused) == 1 and refused[0]["msg"].startswith("refused request: 401") and refused[0]["request_id"]

    text = log.getvalue()
    everything = records(log)
    assert everything and all(r["request_id"] is None or len(r["request_id"]) == 12 for r in everything)
    assert {name: t for name, t in TOKENS.items() if t in text} == {}, "member text in the log"
    assert fake.bot_token not in text and fake.signing_secret not in text


def test_the_text_format_stays_the_default_and_names_the_request_too(bot, driver, fake, monkeypatch):
    stream = io.StringIO()
    handler = make_handler(stream)
    logging.getLogger().addHandler(handler)
    try:
        monkeypatch.setattr(meetings, "meeting_status", lambda *a, **k: 1 / 0)
        set_up_group(driver, fake)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/meeting", "status")
        ephemeral_to(fake, "UCHAIR", mark)
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [line for line in stream.getvalue().splitlines() if "unhandled error" in line]
    assert len(lines) == 1 and not lines[0].startswith("{")
    assert " ERROR handlers: unhandled error" in lines[0] and " req=" in lines[0]
    assert "ZeroDivisionError (message withheld)" in lines[0]
