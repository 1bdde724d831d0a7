"""`make demo`: a whole first meeting of a Care Home Strategy Group and its follow-up meeting, played
against the local stand-in of Slack, printed as the conversation it was, then read back from the bot's
database. The follow-up half is in demo_follow_up.py.

Nothing inside the bot is mocked: it is the real app served over HTTP on a fresh SQLite file, and every
step below is a signed request from "Slack" (a person typing, clicking or submitting a form). The bot
answers after acknowledging, so each step waits for what Slack would show next, never for a fixed time.
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from bot.domain.clock import FakeClock
from bot.texts import Texts
from storage.db import make_engine, make_session_factory
from storage.models import (
    Action,
    ActionUpdate,
    AgreementVersion,
    Attendance,
    Contribution,
    GroundRulesVersion,
    Group,
    Meeting,
    Member,
    Minutes,
    Signature,
    StageCard,
)
from tests.harness import CHANNEL, RunningBot, make_fake
from tests.standin import FakeSlack, SlackDriver, render_transcript
from tests.standin.calls import Call
from tests.standin.demo_follow_up import FollowUp
from tests.steps import card_text, ephemeral_to, give_roles, next_stage, posted, set_up_group, start_meeting

GROUP_NAME = "Southwark Care Home Strategy Group"
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning in late November
LONDON = ZoneInfo("Europe/London")
PRESENT = ["UCHAIR", "UCOCHAIR", "UMGR1", "UMGR2", "UNHS", "UCQC"]  # Grace (UHW) has sent apologies
QUESTIONS = {"working_well": "What is currently working well?", "at_its_best": "What will it look like at its best?"}

INTRODUCTION = """\
Care Home Strategy Group bot: a demo
====================================
The first meeting of the Southwark Care Home Strategy Group, in its Slack channel #strategy-group,
played against a local stand-in of Slack. Sam Okafor (Southwark Council) chairs, with Priya Shah as
co-chair. Around the table: Alex Morgan (Tower Bridge Care Home) and Jo Bennett (Bermondsey Lodge),
who manage care homes; Fatima Idris (NHS South East London); Tom Reilly (Care Quality Commission).
Grace Lee (Healthwatch Southwark) sends apologies. The meeting goes through the bot's seven stages:
check-in, ground rules, partnership agreement, three themes, actions, feedback and close, and ends
with the minutes the bot posts for everyone. Then four weeks pass: owners report back on their actions,
and a shorter follow-up meeting revisits the ground rules and the agreement and hears a report on every
open action before it closes.

How to read it: "Bot:" is what the bot posts in the channel for everyone; "↳" is a reply in the
thread under a message; "(only X sees)" is a private message to one person, and "── DM to X" starts
a direct message from the bot to X; [ Like this ] is a button; a "modal" is a small form that pops
up; "/meeting next" and the like are commands typed in the channel. "Card updated" means the bot
changed a message it posted before: only what changed is shown. Lines starting "===" are the
narrator's.
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


@dataclass(frozen=True)
class Answer:
    """One person's answer on a card: a thread reply (`values` None) or the values of the card's form."""

    user: str
    text: str
    values: dict[str, Any] | None = None


def reply(user: str, text: str) -> Answer:
    return Answer(user, text)


def form(user: str, text: str, **more: Any) -> Answer:
    return Answer(user, text, {"text": text, **more})


THEMES_TYPED = "Managing transitions, improving health and healthcare, creating community"  # as Sam types them
THEME_ANSWERS: dict[tuple[str, str], list[Answer]] = {
    ("Managing Transitions", "working_well"): [
        reply("UMGR1", "Every new resident gets a buddy on the staff team for their first month, and we write a "
                       "one-page profile with the family before they move in."),
        form("UNHS", "The hospital discharge team now rings the home the day before, so homes hear about "
                     "medicines and mobility before the ambulance arrives, not after."),
        reply("UMGR2", "Families bring in furniture, photos and the resident's own bedding before the move, so the "
                       "room already feels like theirs on day one."),
    ],
    ("Managing Transitions", "at_its_best"): [
        form("UMGR2", "Nobody arrives from hospital on a Friday evening without their discharge letter and a "
                      "week of medicines."),
        reply("UCOCHAIR", "One 'This is me' profile follows each person between hospital, care home and GP, so "
                          "nobody has to tell their story three times."),
        reply("UCQC", "Residents and families tell us in their own words how the move went, and homes learn "
                      "from each other's stories."),
    ],
    ("Improving Health & Healthcare", "working_well"): [
        reply("UNHS", "Weekly GP ward rounds in every home in the primary care network: the GPs know residents "
                      "by name."),
        form("UMGR1", "Since the RESTORE2 'soft signs' training, our night staff have spotted two chest "
                      "infections early enough to treat them at home."),
        reply("UCHAIR", "Over 90% of residents had their flu and Covid jabs this autumn, thanks to the homes and "
                        "the vaccination team planning together."),
    ],
    ("Improving Health & Healthcare", "at_its_best"): [
        reply("UMGR1", "A resident who falls but isn't hurt is helped up within the hour, not left on the floor "
                       "for four hours waiting for an ambulance."),
        form("UNHS", "Every resident has a structured medication review at least once a year, with a pharmacist "
                     "in the room & the family invited."),
        reply("UMGR2", "Dental, hearing and eye checks happen in the home as a matter of routine, not only when "
                       "we fight for them."),
    ],
    ("Creating Community", "working_well"): [
        reply("UMGR2", "Year 4 from the primary school round the corner comes in every Thursday afternoon to "
                       "read with residents. It's the highlight of the week."),
        form("UCOCHAIR", "The library's memory café now meets in two of our homes, so neighbours come in rather "
                         "than residents always going out."),
        reply("UMGR1", "Relatives run a Sunday tea rota, and residents do the baking for it."),
    ],
    ("Creating Community", "at_its_best"): [
        form("UCQC", "Care homes are part of the high street, not hidden behind a keypad door."),
        reply("UCHAIR", "Every home has a 'Friends of' group, like a school's PTA, with neighbours who aren't "
                        "relatives."),
        reply("UNHS", "Faith groups, local businesses and the tenants' association know their nearest care home "
                      "and drop in, and residents go out to them too."),
    ],
}
ACTION_MODALS = [  # (narrator's heading, who fills in the "Add an action" form, what they put in it)
    ("Alex adds an action with the form: a welcome pack for families", "UMGR1", {
        "description": "Write a welcome pack for the families of new residents, with the one-page profile to "
                       "fill in before the move",
        "theme": "Managing Transitions", "owner": "UMGR1", "agency": "Tower Bridge Care Home", "due": "2027-01-29",
    }),
    ("Fatima adds one for an agency outside the group; Priya will invite the ambulance service",
     "UNHS", {
         "description": "Agree a falls pathway so that residents who fall without injury are helped up by a "
                        "falls response team within the hour",
         "theme": "Improving Health & Healthcare", "owner": "UNHS", "agency": "London Ambulance Service",
         "agency_absent": ["absent"], "volunteer": "UCOCHAIR", "due": "2027-03-31",
         "prerequisites": "Six months of falls data from each home, collected the same way",
     }),
]
ACTION_COMMANDS = [  # (who types `/actions add ...`, the rest of the line, the owner)
    ("UMGR2", "Pair every home with its nearest primary school for a weekly reading visit owner <@UMGR2> "
              "theme creating community due 26/03/2027", "UMGR2"),
    ("UCHAIR", "Send every home the hospital discharge checklist and the out-of-hours discharge contact owner "
               "<@UNHS> agency \"NHS South East London\" due next Friday", "UNHS"),
    ("UCQC", "Bring the CQC's oral health findings and two good examples from local homes to the next meeting "
             "owner <@UCQC> agency \"Care Quality Commission\"", "UCQC"),
]
FEEDBACK = [  # everyone who attended: the form (with a rating) or a thread reply
    form("UCHAIR", "Proud of how openly everyone spoke, and of how much we got through.",
         takeaway="Put the falls pathway on the council's winter plan.", rating="5"),
    reply("UCOCHAIR", "Like a real partnership, not a council meeting. I'm taking away the ambulance service "
                      "conversation."),
    form("UMGR1", "Listened to, not inspected.", takeaway="Borrowing Jo's school reading idea for Tower Bridge.",
         rating="5"),
    reply("UMGR2", "Energising. Long, but worth leaving the home for. I'll tell our residents' committee what we "
                   "agreed."),
    form("UNHS", "Useful. I'd like more time on health next time.",
         takeaway="The discharge checklist goes out this week.", rating="4"),
    reply("UCQC", "Good to hear what's working well, not only what's going wrong. I'm taking away how much good "
                  "practice never reaches an inspection report."),
]


class Demo:
    """One scripted meeting: each method is a part of the story, under a narrator's heading."""

    def __init__(self, fake: FakeSlack, driver: SlackDriver, clock: FakeClock, engine: Engine) -> None:
        self.fake, self.driver, self.clock = fake, driver, clock
        self.session = make_session_factory(engine)
        self.part = "starting up"
        self.rough_edges: list[str] = []  # answers a real Slack would have shown as an error
        self.actions_added = 0

    def chapter(self, heading: str, minutes: float = 0) -> None:
        self.clock.advance(minutes=minutes)
        self.part = heading
        self.fake.note(heading)

    def play(self) -> None:
        self.before_the_meeting()
        self.check_in()
        self.ground_rules()
        self.agreement()
        self.signing()
        self.themes()
        self.actions()
        self.feedback()
        self.close()
        self.after_the_meeting()
        FollowUp(self).play()

    def before_the_meeting(self) -> None:
        self.chapter("Before the meeting: Sam sets up the group and gives everyone their role")
        set_up_group(self.driver, self.fake, GROUP_NAME)
        self.clock.advance(minutes=2)
        give_roles(self.driver, self.fake)

    def check_in(self) -> None:
        self.chapter("Stage 1 of 7 · Welcome and check-in: who is here, and how is everyone?", minutes=8)
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

        self.chapter("Grace, who is at a Healthwatch event today, sends her apologies from her phone", minutes=1)
        mark = self.fake.mark()
        self.driver.click_button("UHW", CHANNEL, self.card["ts"], "Send apologies")
        told = ephemeral_to(self.fake, "UHW", mark)
        assert "apologies are recorded" in told, told
        self.fake.wait_until(lambda: "apologies from Grace Lee" in card_text(self.fake, self.card),
                             message="the check-in card to show Grace's apologies")

    def ground_rules(self) -> None:
        fake, driver = self.fake, self.driver
        self.chapter("Stage 2 of 7 · Ground rules: what do we need from each other to talk openly?", minutes=4)
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
        self.chapter("Stage 3 of 7 · Partnership agreement: what does good partnership working mean to you?",
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

    def signing(self) -> None:
        self.chapter("Everyone in the room signs the agreement", minutes=2)
        for user in PRESENT:
            self.clock.advance(minutes=0.5)
            self.sign(user)
        self.fake.wait_until(lambda: f"Signed ({len(PRESENT)})" in card_text(self.fake, self.published),
                             message="the agreement to show everyone's signatures")

    def themes(self) -> None:
        fake, driver = self.fake, self.driver
        self.chapter("Stage 4 of 7 · Themes: Sam picks three of the eight My Home Life themes for today", minutes=3)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/meeting", f"themes {THEMES_TYPED}")
        chosen = posted(fake, "This meeting will cover 3 themes", after=mark)
        themes = list(dict.fromkeys(theme for theme, _ in THEME_ANSWERS))
        assert all(theme.replace("&", "&amp;") in chosen["text"] or theme in chosen["text"] for theme in themes), \
            chosen["text"]
        for i, theme in enumerate(themes, 1):
            for question, asked in QUESTIONS.items():
                self.chapter(f"Theme {i} of {len(themes)}, {theme}: {asked}", minutes=1)
                card = self.recorded(next_stage(driver, fake, f"Themes: {theme}"))
                assert asked in card_text(fake, card), card_text(fake, card)
                answers = THEME_ANSWERS[(theme, question)]
                for answer in answers:
                    self.answer(card, answer, "Answer")
                people = len({a.user for a in answers})
                fake.wait_until(lambda c=card, n=len(answers), p=people:
                                f"{n} answers from {p} people" in card_text(fake, c),
                                message=f"the card for {theme} to count every answer")

    def actions(self) -> None:
        fake, driver = self.fake, self.driver
        self.chapter("Stage 5 of 7 · Actions: what more needs to be done, and who is best placed to do it?",
                     minutes=2)
        self.actions_card = card = self.recorded(next_stage(driver, fake, "Actions"))
        for heading, user, values in ACTION_MODALS:
            self.chapter(heading, minutes=3)
            mark = fake.mark()
            driver.click_button(user, CHANNEL, card["ts"], "Add an action")
            fake.wait_for("views.open", after=mark)
            mark = fake.mark()
            answer = driver.submit_view(user, self.last_view(user), values)
            assert answer.status == 200 and not (answer.json or {}).get("errors"), f"refused: {answer.body}"
            self.action_added(mark, values["owner"], values.get("volunteer"))
        self.chapter("Three more actions, typed in one line each with /actions add", minutes=2)
        for user, text, owner in ACTION_COMMANDS:
            self.clock.advance(minutes=2)
            mark = fake.mark()
            driver.command(user, CHANNEL, "/actions", f"add {text}")
            self.action_added(mark, owner)

    def feedback(self) -> None:
        fake, driver = self.fake, self.driver
        self.chapter("Stage 6 of 7 · Feedback: how did the meeting feel, and what will everyone take away?",
                     minutes=3)
        card = self.recorded(next_stage(driver, fake, "Feedback"))
        for answer in FEEDBACK:
            self.answer(card, answer, "Give feedback")
        n = len(PRESENT)
        fake.wait_until(lambda: f"{n} of {n} attendees gave feedback" in card_text(fake, card),
                        message="the feedback card to count everyone's feedback")

    def close(self) -> None:
        fake, driver = self.fake, self.driver
        self.chapter("Stage 7 of 7 · Close: Sam closes the meeting, and the bot posts the minutes for everyone",
                     minutes=2)
        card = self.recorded(next_stage(driver, fake, "Close"))
        self.clock.advance(minutes=1)
        mark = fake.mark()
        driver.click_button("UCHAIR", CHANNEL, card["ts"], "Close meeting")
        posted(fake, "Meeting 1 has ended", after=mark)
        posted(fake, "Minutes · Meeting 1", after=mark)
        # The minutes may take several messages; the feedback section is the last one this meeting has.
        self.wait_for_post(lambda text: f"{len(PRESENT)} people gave feedback" in text, after=mark,
                           what="the last part of the minutes (feedback)")

    def after_the_meeting(self) -> None:
        fake = self.fake
        self.chapter("The next morning: Grace from Healthwatch, who sent apologies, reads the agreement and signs",
                     minutes=22 * 60)
        self.sign("UHW")
        fake.wait_until(lambda: "Not yet signed" not in card_text(fake, self.published),
                        message="the agreement to show that everyone has signed")

        self.chapter("Sam exports the minutes as a file, for the council's records", minutes=20)
        mark = fake.mark()
        self.driver.command("UCHAIR", CHANNEL, "/group", "export minutes md")
        fake.wait_for("files.completeUploadExternal", after=mark)

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

    def answer(self, card: dict[str, Any], answer: Answer, button: str) -> None:
        """One person's answer to a card: a thread reply, or its button's form."""
        self.clock.advance(minutes=1)
        if answer.values is None:
            self.say(answer.user, card, answer.text)
        else:
            self.by_modal(answer.user, card, button, answer.values)

    def action_added(self, mark: int, owner: str, volunteer: str | None = None) -> None:
        """Wait for all the bot does for a new action: the post in the actions thread and each DM."""
        self.actions_added += 1
        ref = f"A-{self.actions_added}"
        thread = self.actions_card["ts"]
        self.wait_for_post(lambda text: ref in text, after=mark, what=f"{ref} in the actions thread",
                           where=lambda c: c.args.get("thread_ts") == thread)
        for user in dict.fromkeys(u for u in (owner, volunteer) if u):
            dm = self.fake.dm_channel(user)
            self.wait_for_post(lambda text: ref in text, after=mark, what=f"the DM about {ref} to {user}",
                               where=lambda c, dm=dm: c.args.get("channel") == dm)
        n = self.actions_added
        counted = f"{n} action{'' if n == 1 else 's'} agreed"
        self.fake.wait_until(lambda: counted in card_text(self.fake, self.actions_card),
                             message=f"the actions card to show {counted}")

    def wait_for_post(self, has: Callable[[str], bool], *, after: int, what: str,
                      where: Callable[[Call], bool] = lambda c: True) -> Call:
        """Wait for the bot to post a message whose text or blocks satisfy `has`."""
        def matches(c: Call) -> bool:
            if c.method != "chat.postMessage" or not c.ok or not where(c):
                return False
            return has(f"{c.args.get('text') or ''} {c.args.get('blocks') or ''}")

        try:
            return self.fake.wait_for(matches, after=after)
        except AssertionError as exc:
            raise AssertionError(f"waiting for {what}: {exc}") from None

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
            exported = [f["name"] for f in fake.files()]
            report = keep_report(fake)
            transcript, edges = render_transcript(fake, emoji=True), demo.rough_edges
            summary = summarise(engine, exported)
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
    if report is not None:
        out.write(f"The progress report was written to {report} (open it in a browser, or print it).\n")
    for edge in edges:
        print(f"make demo noticed: {edge}", file=sys.stderr)
    return 0


def keep_report(fake: FakeSlack) -> Path | None:
    """The progress report the demo's chair asked for, written where it outlives the demo's temporary files."""
    reports = [f for f in fake.files() if str(f.get("name", "")).startswith("progress-report")]
    if not reports:
        return None
    folder = Path(tempfile.gettempdir()) / "carehome-demo"
    folder.mkdir(exist_ok=True)
    path = folder / str(reports[-1]["name"])
    path.write_bytes(reports[-1]["content"])
    return path


def summarise(engine: Engine, exported: list[str]) -> str:
    """What the bot remembered, read straight from its database."""
    texts = Texts()
    with make_session_factory(engine)() as s:
        group = s.scalars(select(Group)).one()
        members = list(s.scalars(select(Member).where(Member.group_id == group.id).order_by(Member.id)))
        meeting = s.scalars(select(Meeting).where(Meeting.group_id == group.id, Meeting.number == 1)).one()
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
        actions = list(s.scalars(select(Action).where(Action.group_id == group.id).order_by(Action.number)))
        updates = list(s.scalars(select(ActionUpdate).order_by(ActionUpdate.at, ActionUpdate.id)))
        follow_up = s.scalars(select(Meeting).where(Meeting.group_id == group.id, Meeting.number == 2)).first()
        rules_now = s.scalars(select(GroundRulesVersion).where(GroundRulesVersion.group_id == group.id)
                              .order_by(GroundRulesVersion.version.desc())).first()
        minutes = s.scalars(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()

    names = {m.user_id: m.display_name or m.user_id for m in members}
    per_stage = Counter(c.stage for c in said)
    themes = [c for c in said if c.stage == "themes"]
    per_theme = Counter((c.theme, c.question) for c in themes)
    feedback = [c for c in said if c.stage == "feedback"]
    ratings = [int(r) for c in feedback if (r := (c.details or {}).get("rating"))]
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
        "",
        f"Themes answered ({len(meeting.themes or [])} chosen, {len(themes)} answers):",
        *(f"  • {theme}: {per_theme[(theme, 'working_well')]} on what works well, "
          f"{per_theme[(theme, 'at_its_best')]} on what it will look like at its best"
          for theme in meeting.themes or []),
        "",
        f"Actions ({len(actions)}):",
        *(line for a in actions for line in _action_lines(a, names)),
        "",
        f"Feedback: {len(feedback)} of {len(present)} attendees"
        + (f"; {len(ratings)} rated the meeting, {sum(ratings) / len(ratings):.1f} out of 5 on average"
           if ratings else ""),
        "",
        "Minutes: " + (f"stored when the meeting closed ({len(minutes.markdown.splitlines())} lines of Markdown)"
                       if minutes else "none stored")
        + (f"; exported as {', '.join(exported)}" if exported else ""),
    ]
    numbers = {a.id: a.number for a in actions}
    if follow_up is not None and rules_now is not None:
        lines += [
            "",
            f"Meeting {follow_up.number} ({follow_up.status}, a follow-up): ground rules now version "
            f"{rules_now.version} ({len(rules_now.rules)} rules); the agreement kept at version {agreement.version}",
            f"Reports on actions ({len(updates)}, every one kept):",
            *(f"  • A-{numbers[u.action_id]} {u.old_status} → {u.new_status}, by {names.get(u.author, u.author)} "
              f"on {_local(u.at)}: {u.note}" for u in updates),
        ]
    return "\n".join(_fit(line) for line in lines) + "\n"


def _fit(line: str, width: int = 100) -> str:
    """A long line wrapped under its own text (after its bullet, if it has one)."""
    text = line.lstrip()
    margin = len(line) - len(text)
    indent = " " * (margin + 2 if text.startswith("• ") else margin or 4)
    return "\n".join(textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False)) or line


def _action_lines(action: Action, names: dict[str, str]) -> list[str]:
    parts = [f"owner {names.get(action.owner_id, action.owner_id)}"]
    if action.agency:
        parts.append(f"agency {action.agency}")
        if not action.agency_in_group:
            volunteer = names.get(action.volunteer_id or "", "nobody yet")
            parts.append(f"not in the group, {volunteer} will invite them")
    parts.append(f"due {action.due_date.strftime('%a %d %b %Y')}" if action.due_date else "no target date")
    if action.theme:
        parts.append(f"theme {action.theme}")
    return [f"  • A-{action.number} {action.description}", "      " + " · ".join(parts)]


def _local(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%a %d %b %Y, %H:%M")
