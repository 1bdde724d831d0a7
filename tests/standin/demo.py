"""`make demo`: a whole first meeting of a Care Home Strategy Group, played against the local stand-in of
Slack, printed as the conversation it was, then read back from the bot's database.

Nothing inside the bot is mocked: it is the real app served over HTTP on a fresh SQLite file, and every
step below is a signed request from "Slack" (a person typing, clicking or submitting a form). The bot
answers after acknowledging, so each step waits for what Slack would show next, never for a fixed time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from bot.domain.clock import FakeClock
from bot.texts import Texts
from storage.db import make_engine, make_session_factory
from storage.models import (
    AgreementVersion,
    Attendance,
    Contribution,
    GroundRulesVersion,
    Group,
    Meeting,
    Member,
    Signature,
    StageCard,
)
from tests.harness import CHANNEL, RunningBot, make_fake
from tests.standin import FakeSlack, SlackDriver, render_transcript
from tests.steps import card_text, ephemeral_to, give_roles, next_stage, posted, set_up_group, start_meeting

GROUP_NAME = "Southwark Care Home Strategy Group"
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning in late November
LONDON = ZoneInfo("Europe/London")
PRESENT = ["UCHAIR", "UCOCHAIR", "UMGR1", "UMGR2", "UNHS", "UCQC"]  # Grace (UHW) has sent apologies

INTRODUCTION = """\
Care Home Strategy Group bot: a demo
====================================
The first meeting of the Southwark Care Home Strategy Group, in its Slack channel #strategy-group, played
against a local stand-in of Slack. Sam Okafor (Southwark Council) chairs, with Priya Shah as co-chair.
Around the table: Alex Morgan (Tower Bridge Care Home) and Jo Bennett (Bermondsey Lodge), who manage
care homes; Fatima Idris (NHS South East London); Tom Reilly (Care Quality Commission). Grace Lee
(Healthwatch Southwark) sends apologies.

How to read it: "Bot:" is what the bot posts in the channel for everyone; "↳" is a reply in the thread
under a message; "(only X sees)" is a private message to one person; [ Like this ] is a button; a
"modal" is a small form that pops up. "Card updated" means the bot changed a message it posted before.
"""

# What people say, in their own words.
CHECK_IN_REPLIES = [
    ("UCHAIR", "Sam Okafor, Southwark Council quality team, chairing today. Feeling hopeful: it's good to "
               "have everyone round one table at last."),
    ("UMGR1", "Alex Morgan, registered manager at Tower Bridge Care Home. A bit frazzled after a flu outbreak "
              "last week, but everyone is on the mend and I'm glad to be here."),
    ("UNHS", "Fatima Idris, care homes lead nurse at NHS South East London. Positive, and slightly "
             "over-caffeinated."),
]
CHECK_IN_MODALS = [  # (who, organisation, or None to keep the one the bot knows; how they are feeling)
    ("UCOCHAIR", "Southwark Council, Adult Social Care", "Calm and ready. Thank you all for making the time."),
    ("UMGR2", None, "Looking forward to it. Our residents' committee has sent me with a list of ideas!"),
    ("UCQC", None, "Here to listen and learn today, not to inspect."),
]
RULE_REPLIES = [
    ("UMGR1", "No blame: we talk about what happened and what we would do differently, not whose fault it was."),
    ("UNHS", "What we share about residents stays in this group."),
    ("UCOCHAIR", "If we take on an action, we report back on it next time, even if the answer is 'not started'."),
]
FATIMAS_EDIT = "What we share about individual residents, families or staff stays in this group."
RULE_MODALS = [
    ("UMGR2", "Start and finish on time: managers are leaving their homes to be here."),
    ("UCQC", "Every voice counts the same, whatever the job title or the organisation."),
]
AGREEMENT_REPLIES = [
    ("UMGR2", "Treat care-home managers as equal partners, not as people to be checked up on."),
    ("UNHS", "Share information early, especially about hospital discharges, so homes can plan."),
    ("UMGR1", "Be honest when something has gone wrong, and be curious rather than critical."),
    ("UCOCHAIR", "Follow through on what we promise, or say early when we can't."),
]
AGREEMENT_MODAL = ("UCQC", "Celebrate what is going well as loudly as we flag what is not.")
CHAIRS_OWN_LINE = "• Keep residents, and the people who love them, at the heart of every conversation."


class Demo:
    """One scripted meeting: each method is a part of the story, under a narrator's heading."""

    def __init__(self, fake: FakeSlack, driver: SlackDriver, clock: FakeClock, engine: Engine) -> None:
        self.fake, self.driver, self.clock = fake, driver, clock
        self.session = make_session_factory(engine)
        self.part = "starting up"
        self.rough_edges: list[str] = []  # answers a real Slack would have shown as an error

    def chapter(self, heading: str, minutes: float = 0) -> None:
        self.clock.advance(minutes=minutes)
        self.part = heading
        self.fake.note(heading)

    def play(self) -> None:
        self.before_the_meeting()
        self.check_in()
        self.ground_rules()
        self.agreement()
        self.signing_and_closing()
        self.after_the_meeting()

    def before_the_meeting(self) -> None:
        self.chapter("Before the meeting: Sam sets up the group and gives everyone their role")
        set_up_group(self.driver, self.fake, GROUP_NAME)
        self.clock.advance(minutes=2)
        give_roles(self.driver, self.fake)

    def check_in(self) -> None:
        self.chapter("Stage 1 of 3 · Welcome and check-in: who is here, and how is everyone?", minutes=8)
        self.card = self.recorded(start_meeting(self.driver, self.fake))
        for user, words in CHECK_IN_REPLIES:
            self.clock.advance(minutes=1)
            self.say(user, self.card, words)
        for user, organisation, feeling in CHECK_IN_MODALS:
            self.clock.advance(minutes=1)
            values = {"feeling": feeling} | ({"organisation": organisation} if organisation else {})
            self.by_modal(user, self.card, "I'm here", values)
        self.fake.wait_until(lambda: f"{len(PRESENT)} here" in card_text(self.fake, self.card),
                             message=f"the check-in card to show {len(PRESENT)} here")

    def ground_rules(self) -> None:
        fake, driver = self.fake, self.driver
        self.chapter("Stage 2 of 3 · Ground rules: what do we need from each other to talk openly?", minutes=4)
        card = self.recorded(next_stage(driver, fake, "Ground rules"))
        said = {user: self.say(user, card, rule, minutes=1) for user, rule in RULE_REPLIES}
        for user, rule in RULE_MODALS:
            self.clock.advance(minutes=1)
            self.by_modal(user, card, "Propose a rule", {"text": rule})
        n = len(RULE_REPLIES) + len(RULE_MODALS)
        fake.wait_until(lambda: f"{n} proposals from {n} people" in card_text(fake, card),
                        message="the ground-rules card to count every proposal")

        self.chapter("Fatima widens her rule to families and staff; the bot keeps the edited words", minutes=1)
        mark = fake.mark()
        driver.edit_message("UNHS", CHANNEL, said["UNHS"], FATIMAS_EDIT)
        fake.wait_for("chat.update", after=mark, ts=card["ts"])

        self.chapter("Tom presses \"Next stage\": only the chair or co-chair can, and the bot tells him privately")
        mark = fake.mark()
        pressed = driver.click_button("UCQC", CHANNEL, card["ts"], "Next stage")
        told = ephemeral_to(fake, "UCQC", mark)
        assert "Only the chair" in told, told
        if pressed.status != 200:
            self.rough_edges.append(f"Tom's refused \"Next stage\" click was answered HTTP {pressed.status} "
                                    f"{pressed.body.strip()}: a real Slack would show him an error too")

        self.chapter("Sam moves on; the bot first asks him to settle the ground rules", minutes=2)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/meeting", "next")
        asked = ephemeral_to(fake, "UCHAIR", mark)
        assert "have not been adopted yet" in asked, asked
        mark = fake.mark()
        driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
        posted(fake, "Ground rules · version 1", after=mark)
        fake.wait_for("chat.update", after=mark, ts=card["ts"])
        self.agreement_card = self.recorded(posted(fake, "Partnership agreement", after=mark))

    def agreement(self) -> None:
        fake, driver, card = self.fake, self.driver, self.agreement_card
        self.chapter("Stage 3 of 3 · Partnership agreement: what does good partnership working mean to you?",
                     minutes=1)
        for user, words in AGREEMENT_REPLIES:
            self.say(user, card, words, minutes=1)
        self.clock.advance(minutes=1)
        self.by_modal(AGREEMENT_MODAL[0], card, "Add to the agreement", {"text": AGREEMENT_MODAL[1]})
        n = len(AGREEMENT_REPLIES) + 1
        fake.wait_until(lambda: f"{n} contributions from {n} people" in card_text(fake, card),
                        message="the agreement card to count every contribution")

        self.chapter("Sam writes it up from a draft of everyone's words, adds a line of his own and publishes",
                     minutes=3)
        mark = fake.mark()
        driver.click_button("UCHAIR", CHANNEL, card["ts"], "Write up the agreement")
        fake.wait_for("views.open", after=mark)
        draft = self.last_view("UCHAIR")
        prefilled = draft["blocks"][0]["element"]["initial_value"]
        mark = fake.mark()
        answer = driver.submit_view("UCHAIR", draft, {"text": f"{prefilled}\n{CHAIRS_OWN_LINE}"})
        assert answer.status == 200 and not (answer.json or {}).get("errors"), f"the form was refused: {answer.body}"
        self.published = posted(fake, "Partnership agreement · version 1", after=mark)
        fake.wait_for("chat.update", after=mark, ts=card["ts"])
        ts = self.published["ts"]
        fake.wait_until(lambda: self.first(select(AgreementVersion.id).where(AgreementVersion.message_ts == ts)),
                        message="the bot to record where it posted the agreement")

    def signing_and_closing(self) -> None:
        self.chapter("Everyone in the room signs the agreement", minutes=2)
        for user in PRESENT:
            self.clock.advance(minutes=0.5)
            self.sign(user)
        self.fake.wait_until(lambda: f"Signed ({len(PRESENT)})" in card_text(self.fake, self.published),
                             message="the agreement to show everyone's signatures")

        self.chapter("Sam closes the meeting", minutes=5)
        mark = self.fake.mark()
        self.driver.command("UCHAIR", CHANNEL, "/meeting", "end")
        posted(self.fake, "Meeting 1 has ended", after=mark)

    def after_the_meeting(self) -> None:
        self.chapter("The next morning: Grace from Healthwatch, who sent apologies, reads the agreement and signs",
                     minutes=22 * 60 + 35)
        self.sign("UHW")
        self.fake.wait_until(lambda: "Not yet signed" not in card_text(self.fake, self.published),
                             message="the agreement to show that everyone has signed")

    # Small steps, each waiting for everything the bot shows in answer ----------------------------
    def say(self, user: str, card: dict[str, Any], text: str, minutes: float = 0) -> str:
        """Reply in a card's thread; wait for the bot's ✅ on the reply and the card's new count."""
        self.clock.advance(minutes=minutes)
        mark = self.fake.mark()
        _, ts = self.driver.post_message(user, CHANNEL, text, thread_ts=card["ts"])
        self.fake.wait_for("reactions.add", after=mark, timestamp=ts)
        self.fake.wait_for("chat.update", after=mark, ts=card["ts"])
        return ts

    def by_modal(self, user: str, card: dict[str, Any], button: str, values: dict[str, Any]) -> None:
        """Press a card's button, fill in the form it opens, and wait for the card to count it."""
        mark = self.fake.mark()
        self.driver.click_button(user, CHANNEL, card["ts"], button)
        self.fake.wait_for("views.open", after=mark)
        mark = self.fake.mark()
        answer = self.driver.submit_view(user, self.last_view(user), values)
        assert answer.status == 200 and not (answer.json or {}).get("errors"), f"the form was refused: {answer.body}"
        self.fake.wait_for("chat.update", after=mark, ts=card["ts"])

    def sign(self, user: str) -> None:
        mark = self.fake.mark()
        self.driver.click_button(user, CHANNEL, self.published["ts"], "Sign the agreement")
        thanks = ephemeral_to(self.fake, user, mark)
        assert "you have signed version 1" in thanks, thanks
        self.fake.wait_for("chat.update", after=mark, ts=self.published["ts"])

    def recorded(self, card: dict[str, Any]) -> dict[str, Any]:
        """Wait until the bot has recorded a card it posted: until then it would not know a reply's thread."""
        ts = card["ts"]
        self.fake.wait_until(lambda: self.first(select(StageCard.id).where(StageCard.ts == ts)),
                             message=f"the bot to record its card {ts}")
        return card

    def last_view(self, user: str) -> dict[str, Any]:
        view = self.fake.last_view(user)
        assert view is not None, f"no modal was opened for {user}"
        return view

    def first(self, query: Any) -> Any:
        with self.session() as s:
            return s.scalars(query).first()


def run_demo(out: TextIO | None = None) -> int:
    """Play the meeting, print the transcript and what the database holds; 0 if it all worked, else 1."""
    out = out or sys.stdout
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="carehome-demo-") as tmp:
        engine = make_engine(f"sqlite:///{tmp}/demo.db")
        fake: FakeSlack | None = None
        bot: RunningBot | None = None
        demo: Demo | None = None
        try:
            fake = make_fake()
            clock = FakeClock(START)
            bot = RunningBot(fake, engine, clock)  # the app migrates the fresh SQLite file as it starts
            demo = Demo(fake, bot.driver(), clock, engine)
            demo.play()
            transcript, summary, edges = render_transcript(fake), summarise(engine), demo.rough_edges
        except Exception as exc:  # the demo is a smoke test as much as a show: say plainly what broke
            part = demo.part if demo else "starting up"
            print(f"make demo failed during '{part}':\n  {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        finally:
            if bot is not None:
                bot.stop()
            if fake is not None:
                fake.stop()
            engine.dispose()
    out.write(INTRODUCTION + "\n")
    out.write(transcript)
    out.write(summary)
    out.write(f"\n(The meeting above was played in {time.monotonic() - began:.1f} seconds.)\n")
    for edge in edges:
        print(f"make demo noticed: {edge}", file=sys.stderr)
    return 0


def summarise(engine: Engine) -> str:
    """What the bot remembered, read straight from its database."""
    texts = Texts()
    with make_session_factory(engine)() as s:
        group = s.scalars(select(Group)).one()
        members = list(s.scalars(select(Member).where(Member.group_id == group.id).order_by(Member.id)))
        meeting = s.scalars(select(Meeting).where(Meeting.group_id == group.id)).one()
        present = list(s.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id,
                                                          Attendance.status == "present").order_by(Attendance.id)))
        said = list(s.scalars(select(Contribution).where(Contribution.meeting_id == meeting.id,
                                                         Contribution.withdrawn.is_(False))
                              .order_by(Contribution.id)))
        rules = s.scalars(select(GroundRulesVersion).where(GroundRulesVersion.group_id == group.id,
                                                           GroundRulesVersion.version == 1)).one()
        agreement = s.scalars(select(AgreementVersion).where(AgreementVersion.group_id == group.id,
                                                             AgreementVersion.version == 1)).one()
        signatures = list(s.scalars(select(Signature).where(Signature.agreement_version_id == agreement.id)
                                    .order_by(Signature.signed_at, Signature.id)))

    names = {m.user_id: m.display_name or m.user_id for m in members}
    per_stage = Counter(c.stage for c in said)
    lines = [
        "",
        "=" * 100,
        "What the bot remembered (read back from its database)",
        "=" * 100,
        f"Group: {group.name}, {len(members)} members",
        *(f"  • {names[m.user_id]}: {m.role}" + (f", {m.organisation}" if m.organisation else "") for m in members),
        f"Meeting {meeting.number} ({meeting.status}): {len(present)} attended: "
        + ", ".join(names.get(a.user_id, a.user_id) for a in present),
        "Contributions: " + " · ".join(f"{texts.stage(stage, 'title')}: {n}" for stage, n in per_stage.items()),
        "",
        f"Ground rules · version {rules.version}, adopted by {names.get(rules.adopted_by, rules.adopted_by)} "
        f"on {_local(rules.adopted_at)}:",
        *(f"  {i}. {rule}" for i, rule in enumerate(rules.rules, 1)),
        "",
        f"Partnership agreement · version {agreement.version}, published by "
        f"{names.get(agreement.published_by, agreement.published_by)} on {_local(agreement.published_at)}:",
        *(f"  {line}" for line in agreement.text.splitlines()),
        f"Signed by {len(signatures)} of {len(members)}:",
        *(f"  • {names.get(sig.user_id, sig.user_id)}, {_local(sig.signed_at)}" for sig in signatures),
    ]
    return "\n".join(lines) + "\n"


def _local(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%a %d %b %Y, %H:%M")
