"""Steps of the weekly check-in journeys: move the clock, run the scheduler's tick, answer the form."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.jobs import run_checkins
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, set_up_group

MANAGERS = ["UMGR1", "UMGR2", "UCQC", "UHW"]  # UHW never answers
CHAIRS = ["UCHAIR", "UCOCHAIR"]
GREETING = "time for the weekly check-in"
REMINDER = "A gentle reminder"


def at(clock, *when: int) -> None:
    clock.current = datetime(*when, tzinfo=UTC)


def tick(bot) -> int:
    return run_checkins(bot.bundle.app.client, bot.bundle.deps)


def dms(fake, user: str, containing: str) -> list[dict]:
    return [m for m in fake.dms(user) if containing in (m.get("text") or "")]


def chair_says(driver, fake, text: str, user: str = "UCHAIR") -> str:
    mark = fake.mark()
    driver.command(user, CHANNEL, "/checkin", text)
    return ephemeral_to(fake, user, mark)


def answer(driver, fake, user: str, values: dict, *, by_button: bool = True, expect_ok: bool = True):
    """Open the check-in form (the DM's button, or /checkin in the channel) and submit it."""
    mark = fake.mark()
    if by_button:
        dm = dms(fake, user, "Answer check-in")[-1] if dms(fake, user, "Answer check-in") else \
            [m for m in fake.dms(user) if m.get("blocks")][-1]
        driver.click_button(user, fake.dm_channel(user), dm["ts"], "Answer check-in")
    else:
        driver.command(user, CHANNEL, "/checkin", "")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view(user)
    response = driver.submit_view(user, view, values)
    assert response.status == 200
    if expect_ok:
        assert not (response.json or {}).get("errors"), response.json
        fake.wait_for(lambda c: c.method == "chat.postMessage" and "is saved" in (c.args.get("text") or ""),
                      after=mark)
    return view, response


def checkin_group(driver, fake) -> None:
    """The journey's group: a chair, a co-chair and four managers (UMGR1, UMGR2, UCQC, UHW)."""
    set_up_group(driver, fake)
    give_roles(driver, fake)
    for user in ("UCQC", "UHW"):
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/group", f"role <@{user}> manager")
        assert "is now *manager*" in ephemeral_to(fake, "UCHAIR", mark)
