"""Two web processes and two clock processes on one PostgreSQL database run a busy meeting as one would.

Every request of the meeting (thread replies, /actions add, moves, the agreement, the check-in send) goes
alternately to one web process and the other, many at once; two `python -m bot scheduler` processes tick
beside them. Cards, minutes and deliveries must come out exactly as with one process: every card's last
drawing shows every contribution made to it, the minutes hold each contribution and action once, a
doubled move moves once, and the check-in fan-out sends each manager one DM. Card redraws are
coordinated in the database (bot/services/redraws.py); Slack answers chat.update slowly here, so that
redraws from the two processes overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import Engine

from storage.models import Action, Contribution, Delivery, Meeting, Minutes, StageCard
from tests.checkin_steps import GREETING, dms
from tests.harness import CHANNEL
from tests.harness import PEOPLE as HARNESS_PEOPLE
from tests.process import BotProcess
from tests.standin import FakeSlack, SlackDriver
from tests.steps import card_text, ephemeral_to, give_roles, posted, set_up_group

PEOPLE = ["UCHAIR", "UCOCHAIR", "UMGR1", "UMGR2", "UNHS", "UCQC", "UHW"]
MANAGERS = ["UMGR1", "UMGR2", "UCQC", "UHW"]
UPDATE_TAKES = 0.05  # seconds Slack takes to answer chat.update here
NAMES = [real_name for _, real_name in HARNESS_PEOPLE.values()]


@pytest.fixture
def processes(fake: FakeSlack, engine: Engine) -> Iterator[tuple[list[BotProcess], list[BotProcess]]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("more than one process needs PostgreSQL: SQLite is for one process (README, 'Deploying it')")
    url = engine.url.render_as_string(hide_password=False)
    web = [BotProcess(fake, url), BotProcess(fake, url)]
    clocks = [BotProcess(fake, url, clock=True), BotProcess(fake, url, clock=True)]
    started: list[BotProcess] = []
    try:
        for process in [*web, *clocks]:
            started.append(process.start(timeout=60))
        yield web, clocks
    finally:
        for process in started:
            process.stop()
            # Shown only when the test fails.
            print(f"--- {' '.join(process.args[2:])} on {process.port}:\n{process.output()[-6000:]}")


def at_once(drivers: list[SlackDriver], jobs: list[Callable[[SlackDriver], Any]]) -> list[Any]:
    """Run the jobs together, the i-th through process i % 2, and return what each answered."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda ij: ij[1](drivers[ij[0] % len(drivers)]), enumerate(jobs)))


def replies(drivers: list[SlackDriver], card: dict[str, Any], texts: dict[str, str]) -> None:
    """Thread replies from several people at once, half to each process; all acknowledged."""
    def one(user: str, text: str) -> Callable[[SlackDriver], int]:
        return lambda d: d.post_message(user, CHANNEL, text, thread_ts=card["ts"])[0].status

    assert at_once(drivers, [one(user, text) for text, user in texts.items()]) == [200] * len(texts)


def shows_all(fake: FakeSlack, card: dict[str, Any], parts: list[str], timeout: float = 20) -> None:
    """Cards show counts and names, never what was said (privacy): the counts must reach every contribution."""
    fake.wait_until(lambda: all(p in card_text(fake, card) for p in parts), timeout=timeout,
                    message=f"the card's last drawing counts every contribution: {parts}")


def move(drivers: list[SlackDriver], fake: FakeSlack, title: str, clicked: dict[str, Any] | None = None,
         times: int = 1) -> dict[str, Any]:
    """`/meeting next`, or `times` clicks at once on the Next button of the card `clicked` (a click names
    its card, so copies of it move the meeting once; a typed command acts on the meeting as it finds it)."""
    mark = fake.mark()
    if clicked is None:
        assert drivers[0].command("UCHAIR", CHANNEL, "/meeting", "next").status == 200
    else:
        click = lambda d: d.click_button("UCHAIR", CHANNEL, clicked["ts"], "meeting.next_clicked").status  # noqa: E731
        assert at_once(drivers, [click] * times) == [200] * times
    card = posted(fake, title, after=mark)
    posts = [c for c in fake.calls[mark:] if c.method == "chat.postMessage" and title in c.args.get("text", "")]
    assert len(posts) == 1, posts
    return card


def test_a_busy_meeting_across_two_web_and_two_clock_processes_comes_out_as_with_one(processes, fake, db):
    web, clocks = processes
    a, b = (p.driver() for p in web)
    both = [a, b]
    fake.latency(UPDATE_TAKES, "chat.update")  # slow redraws: the processes' passes over one card overlap
    set_up_group(a, fake)
    give_roles(b, fake)
    for user in ("UCQC", "UHW"):
        mark = fake.mark()
        a.command("UCHAIR", CHANNEL, "/group", f"role <@{user}> manager")
        assert "is now *manager*" in ephemeral_to(fake, "UCHAIR", mark)
    mark = fake.mark()
    b.command("UCHAIR", CHANNEL, "/meeting", "start")
    check_in = posted(fake, "Welcome and check-in", after=mark)

    said = {f"{user} is here and well": user for user in PEOPLE}
    replies(both, check_in, said)
    shows_all(fake, check_in, [f"{len(PEOPLE)} here: ", *NAMES])

    # Ground rules by thread, adopted; the agreement written up through the other process.
    rules = move(both, fake, "Ground rules")
    proposed = {f"Rule {i}: listen to each other ({user})": user for i, user in enumerate(PEOPLE)}
    replies(both, rules, proposed)
    shows_all(fake, rules, [f"{len(proposed)} proposals from {len(PEOPLE)} people"])
    mark = fake.mark()
    a.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    a.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    agreement = posted(fake, "Partnership agreement", after=mark)
    mark = fake.mark()
    b.click_button("UCHAIR", CHANNEL, agreement["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    assert b.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"text": "We work as equal partners."}).status == 200
    posted(fake, "Partnership agreement · version 1", after=mark)

    # One theme, both questions answered by everyone twice at once; each move clicked twice, once per process.
    mark = fake.mark()
    b.command("UCHAIR", CHANNEL, "/meeting", "themes managing transitions")
    posted(fake, "This meeting will cover 1 theme", after=mark)
    answers: dict[str, str] = {}
    theme = agreement
    for question in ("What is currently working well?", "What will it look like at its best?"):
        theme = move(both, fake, "Themes: Managing Transitions", clicked=theme, times=2)
        assert question in card_text(fake, theme)
        said_here = {f"Transitions answer {len(answers) + i} from {user}": user for i, user in enumerate(PEOPLE * 2)}
        replies(both, theme, said_here)
        shows_all(fake, theme, [f"{len(said_here)} answers from {len(PEOPLE)} people"])
        answers.update(said_here)

    # Twelve actions added at once through both processes: twelve numbers, each once.
    actions_card = move(both, fake, "Actions")
    added = [f"Plan visit {i} for families" for i in range(12)]
    answered = at_once(both, [lambda d, t=text, u=PEOPLE[i % len(PEOPLE)]:
                              d.command("UCHAIR", CHANNEL, "/actions", f"add {t} owner <@{u}>").status
                              for i, text in enumerate(added)])
    assert answered == [200] * len(added)
    shows_all(fake, actions_card, [f"{len(added)} actions agreed"])
    assert sorted(x.number for x in db.all(Action)) == list(range(1, len(added) + 1))

    feedback = move(both, fake, "Feedback")
    thanks = {f"Useful meeting, thanks ({user})": user for user in PEOPLE}
    replies(both, feedback, thanks)
    shows_all(fake, feedback, [f"{len(PEOPLE)} of {len(PEOPLE)} attendees gave feedback"])

    close = move(both, fake, "Close")
    mark = fake.mark()
    a.click_button("UCHAIR", CHANNEL, close["ts"], "Close meeting")
    posted(fake, "Minutes · Meeting 1", after=mark)
    fake.wait_until(lambda: db.count(Minutes) == 1)

    # The minutes and the database hold every contribution and action once; every redraw asked was drawn.
    minutes = db.one(Minutes).markdown
    assert db.one(Meeting).status == "ended"
    for text in [*answers, *added]:
        assert minutes.count(text) == 1, text
    assert db.count(Contribution, stage="themes") == len(answers)
    assert db.count(Contribution, stage="check_in") == len(said)
    assert db.count(Contribution, stage="feedback") == len(thanks)
    assert db.count(Meeting) == 1 and db.count(StageCard, stage="themes") == 2  # each doubled click moved once
    fake.wait_until(lambda: all(c.redraw_holder is None for c in db.all(StageCard)))
    assert all(c.redrawn_version == c.redraw_requested for c in db.all(StageCard))
    # One redrawer per card at a time, whichever process: Slack never had two updates of a card in flight.
    cards = {c.ts for c in db.all(StageCard)}
    for ts in cards:
        times = sorted(c.time for c in fake.calls_to("chat.update", ts=ts))
        assert all(later - earlier >= UPDATE_TAKES * 0.9 for earlier, later in pairwise(times)), ts
    assert len(fake.calls_to("chat.update", ts=lambda ts: ts in cards)) > len(cards)

    # The check-in fan-out, sent through one web process while the other and both clocks tick: one DM each.
    mark = fake.mark()
    b.command("UCHAIR", CHANNEL, "/checkin", "send")
    assert f"going out to {len(MANAGERS)} managers" in ephemeral_to(fake, "UCHAIR", mark)
    fake.wait_until(lambda: db.count(Delivery, status="sent") == len(MANAGERS), timeout=30)
    assert [len(dms(fake, user, GREETING)) for user in MANAGERS] == [1] * len(MANAGERS)
    assert all(d.attempts == 1 for d in db.all(Delivery))

    for process in [*web, *clocks]:
        assert process.process is not None and process.process.poll() is None, process.output()
        assert "Traceback" not in process.output() and " ERROR " not in process.output(), process.output()
