"""Steps of the scheduling and reminder journeys: schedule the next meeting, add actions, tick the clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from handlers.jobs import run_reminders
from storage.models import Delivery
from tests.harness import CHANNEL
from tests.steps import ephemeral_to

LONDON = ZoneInfo("Europe/London")


def at(clock, *when: int) -> None:
    clock.current = datetime(*when, tzinfo=UTC)


def tick(bot) -> int:
    """What APScheduler's `run_reminders` job does every minute."""
    return run_reminders(bot.bundle.app.client, bot.bundle.deps)


def say(driver, fake, user: str, command: str, text: str) -> str:
    mark = fake.mark()
    driver.command(user, CHANNEL, command, text)
    return ephemeral_to(fake, user, mark)


def schedule(driver, fake, text: str, user: str = "UCHAIR") -> str:
    return say(driver, fake, user, "/meeting", f"schedule {text}".strip())


def add_action(driver, fake, description: str, owner: str, due: str) -> str:
    """Add an action by command; returns its ref (A-n)."""
    answer = say(driver, fake, "UCHAIR", "/actions", f"add {description} owner <@{owner}> due {due}")
    assert "Added *A-" in answer, answer
    return answer.split("*")[1]


def dms_with(fake, user: str, containing: str) -> list[dict]:
    return [m for m in fake.dms(user) if containing in (m.get("text") or "")]


def channel_with(fake, containing: str) -> list[dict]:
    return [m for m in fake.messages(CHANNEL, include_replies=False) if containing in (m.get("text") or "")]


def sent(db, kind: str | None = None) -> list[Delivery]:
    rows = [d for d in db.all(Delivery, status="sent") if d.kind in ("action_due", "action_overdue", "report_back",
                                                                      "meeting_eve")]
    return [d for d in rows if kind is None or d.kind == kind]


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)
