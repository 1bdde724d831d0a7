"""The second half of `make demo`: the weeks between meetings and the group's follow-up meeting.

Owners report back by command, the chair schedules the meeting, the scheduler's reminders go out, and the
follow-up meeting revisits the ground rules (a new version) and the agreement (kept), then hears a report
on every open action from its own card before closing with minutes that include the report back. Last,
a manager assesses their home (/assess) and makes a forward plan whose first step joins the action plan.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, next_stage, posted, start_meeting

if TYPE_CHECKING:
    from tests.standin.demo import Demo

BETWEEN = [  # (who, `/actions report ...`) typed in the channel in the weeks after the first meeting
    ("UMGR2", "A-3 in-progress Two schools said yes; St Saviour's starts reading visits in January"),
    ("UNHS", "A-4 done The checklist and the out-of-hours number went to all 14 homes"),
]
CHECK_IN = [
    ("UCHAIR", "Sam: good, and pleased to see everyone back."),
    ("UCOCHAIR", "Priya: a bit frazzled after budget week, but looking forward to this."),
    ("UMGR1", "Busy month with the flu jabs, but here and keen."),
    ("UMGR2", "Tired but happy: the first school visit went really well."),
    ("UNHS", "Fine, thanks. Half an eye on winter pressures."),
    ("UCQC", "Good. Glad to be here."),
]
NEW_RULE = "We start and finish on time, and the chair keeps us to it."
IN_MEETING = [  # (who presses Report back on which action's card, the form's values)
    ("UMGR1", 1, {"status": "in-progress", "note": "Draft pack written with two families; printing in January"}),
    ("UNHS", 2, {"status": "blocked",
                 "note": "The ambulance service can't commit until the new year; Priya has a meeting on 7 January"}),
    ("UCHAIR", 5, {"status": "done", "note": "Tom brought the findings today: see the themes next time"}),
]

ASSESSMENT_LEVELS = [3, 2, 3, 2, 1, 3, 3, 2]  # Alex's levels for the eight personalisation themes, in order
ASSESSMENT_EVIDENCE = [
    "Families tell us the buddy scheme helped; two new residents settled within a fortnight",
    "Menus and getting-up times are chosen, but staffing still decides bath days",
    "Life-story books for most residents; outings depend on volunteer drivers",
    "The school reading visits; little else reaches beyond our front door",
    "We ask for feedback, but residents have not shaped a change this year",
    "Every resident has a plan, reviewed every three months",
    "Staff surveys and the CQC report describe a warm, open home",
    "Advance care plans for most residents; good links with the hospice",
]


class FollowUp:
    """Plays the weeks after the first meeting and the follow-up meeting, on the first meeting's demo."""

    def __init__(self, demo: Demo) -> None:
        self.demo, self.fake, self.driver, self.clock = demo, demo.fake, demo.driver, demo.clock

    def play(self) -> None:
        self.between_meetings()
        self.check_in_and_rules()
        self.agreement_kept()
        self.report_back()
        self.close()

    def between_meetings(self) -> None:
        demo, fake, driver = self.demo, self.fake, self.driver
        demo.chapter("Between meetings: two owners report back with /actions report", minutes=10 * 24 * 60)
        for user, text in BETWEEN:
            mark = fake.mark()
            driver.command(user, CHANNEL, "/actions", f"report {text}")
            ref = text.split()[0]
            posted(fake, f"{ref}* is now", after=mark)
            self.clock.advance(hours=26)

        demo.chapter("Alex checks what is still on his list", minutes=3 * 24 * 60)
        mark = fake.mark()
        driver.command("UMGR1", CHANNEL, "/actions", "")
        assert "Your open actions" in ephemeral_to(fake, "UMGR1", mark)

    def check_in_and_rules(self) -> None:
        demo, fake, driver = self.demo, self.fake, self.driver
        self.clock.current = self.clock.current.replace(hour=10, minute=0) + timedelta(days=7)
        demo.chapter("Meeting 2 · Stage 1 of 8 · Welcome back: how is everyone?")
        card = demo.recorded(start_meeting(driver, fake))
        for user, words in CHECK_IN:
            demo.say(user, card, words, minutes=1)

        demo.chapter("Stage 2 of 8 · Ground rules: version 1 is on the card; Tom proposes one more", minutes=2)
        rules = demo.recorded(next_stage(driver, fake, "Ground rules"))
        assert "Ground rules in force (version 1)" in card_text(fake, rules)
        demo.say("UCQC", rules, NEW_RULE, minutes=1)

        demo.chapter("Sam adopts version 2: the rules in force plus Tom's proposal", minutes=1)
        mark = fake.mark()
        driver.click_button("UCHAIR", CHANNEL, rules["ts"], "Adopt a new version")
        fake.wait_for("views.open", after=mark)
        form = demo.last_view("UCHAIR")
        assert NEW_RULE in form["blocks"][0]["element"]["initial_value"]
        mark = fake.mark()
        answer = driver.submit_view("UCHAIR", form, {"text": form["blocks"][0]["element"]["initial_value"]})
        assert answer.status == 200 and not (answer.json or {}).get("errors"), f"refused: {answer.body}"
        posted(fake, "Ground rules · version 2", after=mark)

    def agreement_kept(self) -> None:
        demo, fake, driver = self.demo, self.fake, self.driver
        demo.chapter("Stage 3 of 8 · Partnership agreement: the group keeps version 1", minutes=2)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/meeting", "next")
        card = demo.recorded(posted(fake, "Partnership agreement", after=mark))
        assert "Keep version 1" in str(fake.message(CHANNEL, card["ts"]))
        self.clock.advance(minutes=3)
        mark = fake.mark()
        driver.click_button("UCHAIR", CHANNEL, card["ts"], "Keep version 1")
        self.stage = demo.recorded(posted(fake, "Report back on actions", after=mark))
        self.cards = {n: demo.recorded(posted(fake, f"Report back on A-{n}:", after=mark)) for n in range(1, 6)}

    def report_back(self) -> None:
        demo, fake = self.demo, self.fake
        demo.chapter("Stage 4 of 8 · Report back: a card for each open action; owners report from the cards",
                     minutes=1)
        for user, number, values in IN_MEETING:
            self.clock.advance(minutes=3)
            demo.by_modal(user, self.cards[number], "Report back", values)
        fake.wait_until(lambda: "5 of 5 actions reported" in card_text(fake, self.stage),
                        message="the report-back card to count every action reported")
        demo.say("UCOCHAIR", self.cards[2], "I'll bring the ambulance service's answer to the next meeting.",
                 minutes=1)

    def close(self) -> None:
        demo, fake, driver = self.demo, self.fake, self.driver
        demo.chapter("Sam closes meeting 2 early (themes next time), and the minutes include the report back",
                     minutes=5)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/meeting", "end")
        posted(fake, "Minutes · Meeting 2", after=mark)
        demo.wait_for_post(lambda text: "Report back on actions (5)" in text, after=mark,
                           what="the report back in the minutes of meeting 2")
        self.progress_report()
        self.self_assessment()

    def progress_report(self) -> None:
        """The group's update for its sponsors: a summary in the channel and the HTML report as a file."""
        demo, fake, driver = self.demo, self.fake, self.driver
        demo.chapter("Sam ends with the progress report for the Cabinet Member", minutes=2)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/group", "report")
        posted(fake, "Progress report", after=mark)
        fake.wait_for("files.completeUploadExternal", after=mark, timeout=30)  # charts take seconds on a busy machine

    def self_assessment(self) -> None:
        """Alex assesses Tower Bridge on the eight personalisation themes, then takes the challenge on one."""
        demo, fake, driver = self.demo, self.fake, self.driver
        demo.chapter("Alex assesses Tower Bridge Care Home with /assess and takes the challenge", minutes=24 * 60)
        mark = fake.mark()
        driver.command("UMGR1", CHANNEL, "/assess", "")
        fake.wait_for("views.open", after=mark)
        values: dict[str, str] = {}
        for i, level in enumerate(ASSESSMENT_LEVELS):
            values |= {f"assess_level_{i}": str(level), f"assess_evidence_{i}": ASSESSMENT_EVIDENCE[i],
                       f"assess_who_{i}": "December 2026: Alex, the deputy, two residents and a daughter"}
        driver.submit_view("UMGR1", fake.last_view("UMGR1"), values)
        done = fake.wait_for(lambda c: c.method == "chat.postMessage" and "is complete" in (c.args.get("text") or ""),
                             after=mark)
        mark = fake.mark()
        driver.click_button("UMGR1", str(done.args["channel"]), str((done.response or {})["ts"]), "Take the challenge")
        fake.wait_for("views.open", after=mark)
        driver.submit_view("UMGR1", fake.last_view("UMGR1"), {
            "plan_theme": "Co-production", "plan_achieve": "Residents and relatives help decide how the home runs",
            "plan_why_now": "Our feedback forms tell us what went wrong, not what people want",
            "plan_first_step": "Start a monthly residents' and relatives' forum at Tower Bridge",
            "plan_lead": "Alex and the deputy manager", "plan_involved": "Residents, relatives, the activities team",
            "plan_in_3_months": "Three forums held and two changes made because of them",
            "plan_complete": "The forum decides how part of the activities budget is spent",
            "plan_informed": "The notice board, the monthly letter and the relatives' WhatsApp group",
            "plan_add_action": ["yes"], "plan_owner": "UMGR1", "plan_due": "2027-01-31"})
        fake.wait_for(lambda c: c.method == "chat.postMessage" and "forward plan" in (c.args.get("text") or ""),
                      after=mark)
