"""The journey behind the subject-access and erasure tests: Alex (UMGR1) in two groups, where every text
anyone types carries a token naming its author (zqALEX3, zqSAM1...), so a file or a table can be searched
for whose words it holds.

Group A (CGROUP): a whole first meeting, a month of weekly check-ins, reports back between meetings, and a
follow-up meeting with its report back. Group B (CGROUP2): a short meeting. Action descriptions carry
`desc` tokens instead: the chair writes two (one given to Alex, one to Jo), Alex writes one.
"""

from __future__ import annotations

import re
from datetime import timedelta

from storage.models import Action
from tests.checkin_steps import answer, at, chair_says, tick
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, give_roles, posted, set_up_group

OTHER = "CGROUP2"
TOKEN = re.compile(r"zq([A-Z]+)\d+")
AUTHORS = {"UCHAIR": "SAM", "UCOCHAIR": "PRIYA", "UMGR1": "ALEX", "UMGR2": "JO", "UNHS": "FATIMA", "UCQC": "TOM"}


class Typist:
    """Hands out each author's next token and remembers every token typed."""

    def __init__(self) -> None:
        self.typed: dict[str, list[str]] = {}
        self.channel: dict[str, str] = {}  # token -> the channel of the group it was typed in

    def __call__(self, user: str, words: str = "said", channel: str = CHANNEL) -> str:
        mine = self.typed.setdefault(user, [])
        token = f"zq{AUTHORS[user]}{len(mine) + 1}"
        mine.append(token)
        self.channel[token] = channel
        return f"{words} {token}"

    def of(self, user: str) -> list[str]:
        return list(self.typed.get(user, []))

    def not_of(self, user: str) -> list[str]:
        return [t for u, tokens in self.typed.items() if u != user for t in tokens]


def reply(driver, fake, user, card, text, channel=CHANNEL):
    mark = fake.mark()
    _, ts = driver.post_message(user, channel, text, thread_ts=card["ts"])
    fake.wait_for("reactions.add", after=mark, timestamp=ts)


def command(driver, fake, user, name, text, channel=CHANNEL):
    mark = fake.mark()
    driver.command(user, channel, name, text)
    return ephemeral_to(fake, user, mark)


def form(driver, fake, user, card, button, values, channel=CHANNEL):
    mark = fake.mark()
    driver.click_button(user, channel, card["ts"], button)
    fake.wait_for("views.open", after=mark)
    response = driver.submit_view(user, fake.last_view(user), values)
    assert response.status == 200 and not (response.json or {}).get("errors"), response.body


def next_card(driver, fake, title, channel=CHANNEL):
    mark = fake.mark()
    driver.command("UCHAIR", channel, "/meeting", "next")
    return posted(fake, title, after=mark, channel=channel)


def first_meeting(driver, fake, db, t: Typist) -> None:
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "start")
    welcome = posted(fake, "Welcome and check-in", after=mark)
    for user in ("UCHAIR", "UMGR1", "UMGR2"):
        reply(driver, fake, user, welcome, t(user, "here"))
    rules = next_card(driver, fake, "Ground rules")
    reply(driver, fake, "UMGR1", rules, t("UMGR1", "Phones on silent"))
    reply(driver, fake, "UCOCHAIR", rules, t("UCOCHAIR", "Listen first"))
    # The chair writes the rules up in their own words (adopted documents stay the group's: see erasure.py).
    form(driver, fake, "UCHAIR", rules, "Adopt ground rules", {"text": t("UCHAIR", "We listen") + "\nNo blame"})
    agreement = next_card(driver, fake, "Partnership agreement")
    reply(driver, fake, "UMGR1", agreement, t("UMGR1", "Equal partners"))
    mark = fake.mark()
    form(driver, fake, "UCHAIR", agreement, "Write up the agreement", {"text": t("UCHAIR", "We keep promises")})
    version = posted(fake, "Partnership agreement · version 1", after=mark)
    for user in ("UCHAIR", "UMGR1"):
        mark = fake.mark()
        driver.click_button(user, CHANNEL, version["ts"], "Sign the agreement")
        assert "you have signed version 1" in ephemeral_to(fake, user, mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "themes Managing transitions")
    posted(fake, "will cover 1 theme", after=mark)
    well = next_card(driver, fake, "Themes: Managing Transitions")
    reply(driver, fake, "UMGR1", well, t("UMGR1", "Good handovers"))
    reply(driver, fake, "UNHS", well, t("UNHS", "District nurses visit"))
    best = next_card(driver, fake, "Themes: Managing Transitions")
    form(driver, fake, "UMGR1", best, "Answer", {"text": t("UMGR1", "Every move planned")})
    form(driver, fake, "UMGR2", best, "Answer", {"text": t("UMGR2", "Families told early")})
    next_card(driver, fake, "Actions")
    for who, text in (("UCHAIR", "descSAM1 Write the welcome pack owner <@UMGR1> due 2027-01-15"),
                      ("UCHAIR", "descSAM2 Map GP cover owner <@UMGR2> agency CCG"),
                      ("UMGR1", "descALEX1 Share the visiting policy owner <@UMGR1>")):
        n = db.count(Action)
        driver.command(who, CHANNEL, "/actions", f"add {text}")
        fake.wait_until(lambda n=n: db.count(Action) == n + 1)
    feedback = next_card(driver, fake, "Feedback")
    form(driver, fake, "UMGR1", feedback, "Give feedback",
         {"text": t("UMGR1", "Felt heard"), "takeaway": t("UMGR1", "Ring the pharmacy"), "rating": "5"})
    reply(driver, fake, "UMGR2", feedback, t("UMGR2", "Useful"))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Minutes · Meeting 1", after=mark)


def month_of_checkins(bot, driver, fake, clock, t: Typist) -> None:
    assert "every Monday at 09:00" in chair_says(driver, fake, "schedule Mon 9am")
    for week in range(4):
        at(clock, 2026, 11, 30, 9, 0)
        clock.current += timedelta(weeks=week)
        tick(bot)
        answer(driver, fake, "UMGR1", {"answer_working_well": t("UMGR1", "Calm week"),
                                       "answer_support": t("UMGR1", "A GP contact")})
        answer(driver, fake, "UMGR2", {"answer_working_well": t("UMGR2", "Busy week")})
        if week == 1:  # an edit: the earlier version is kept, and is Alex's too
            answer(driver, fake, "UMGR1", {"answer_working_well": t("UMGR1", "Calm week, on reflection"),
                                           "answer_not_working": t("UMGR1", "Night cover"),
                                           "private_not_working": ["chair_only"]})


def follow_up(driver, fake, db, clock, t: Typist) -> None:
    at(clock, 2027, 1, 4, 10, 0)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "report A-1 in-progress " + t("UMGR1", "Drafted"))
    posted(fake, "A-1* is now _in progress_", after=mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "report A-3 blocked " + t("UCHAIR", "Waiting on the council"))
    posted(fake, "A-3* is now _blocked_", after=mark)
    clock.current += timedelta(days=7)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "start")
    welcome = posted(fake, "Welcome and check-in", after=mark)
    reply(driver, fake, "UMGR1", welcome, t("UMGR1", "Back again"))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto report back")
    stage = posted(fake, "Report back on actions", after=mark)
    a1 = posted(fake, "Report back on A-1:", after=mark)
    form(driver, fake, "UMGR1", a1, "Report back", {"status": "done", "note": t("UMGR1", "Pack printed")})
    fake.wait_until(lambda: "now *done*" in card_text(fake, a1))
    reply(driver, fake, "UMGR1", a1, t("UMGR1", "Thanks to the families"))
    reply(driver, fake, "UCQC", stage, t("UCQC", "Good progress"))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Minutes · Meeting 2", after=mark)


def other_group(driver, fake, t: Typist) -> None:
    fake.add_channel(OTHER, "lewisham-group", ["UCHAIR", "UMGR1", "UMGR2"])
    mark = fake.mark()
    driver.command("UCHAIR", OTHER, "/group", "setup")
    fake.wait_for("views.open", after=mark)
    assert driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"name": "Lewisham Group"}).status == 200
    posted(fake, "is set up in this channel", after=mark, channel=OTHER)
    mark = fake.mark()
    driver.command("UCHAIR", OTHER, "/meeting", "start")
    welcome = posted(fake, "Welcome and check-in", after=mark, channel=OTHER)
    reply(driver, fake, "UMGR1", welcome, t("UMGR1", "Hello Lewisham", OTHER), channel=OTHER)
    reply(driver, fake, "UMGR2", welcome, t("UMGR2", "Hello from Jo", OTHER), channel=OTHER)


def alex_in_two_groups(bot, driver, fake, db, clock) -> Typist:
    """The whole journey; returns every token typed, by author."""
    t = Typist()
    at(clock, 2026, 11, 23, 10, 0)
    set_up_group(driver, fake)
    give_roles(driver, fake)
    first_meeting(driver, fake, db, t)
    month_of_checkins(bot, driver, fake, clock, t)
    follow_up(driver, fake, db, clock, t)
    other_group(driver, fake, t)
    return t


def tokens_in(text: str) -> set[str]:
    return {m.group(0) for m in TOKEN.finditer(text)}

