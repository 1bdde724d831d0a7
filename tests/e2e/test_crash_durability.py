"""kill -9 while people are talking: nothing Slack was told we have is lost, nothing is stored twice.

The real `python -m bot` (gunicorn) serves a running meeting; thread replies and `/actions add` stream
in from several senders at once; the process is killed with SIGKILL at a random moment, started again,
and every request it had answered 200 must then be in the database exactly once. Five rounds on each
database. bench/crash_durability.py runs many more rounds and prints the figure.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, func, select

from storage.db import make_session_factory
from storage.models import Action, Contribution, InboxItem
from tests.harness import CHANNEL
from tests.process import BotProcess
from tests.standin import FakeSlack, SlackDriver
from tests.steps import give_roles, set_up_group, start_meeting

SPEAKERS = ["UMGR1", "UMGR2", "UNHS", "UCQC", "UHW", "UCOCHAIR"]


@dataclass
class Stream:
    """What was sent in one round, and which of it the bot acknowledged (HTTP 200)."""

    replies: dict[str, str] = field(default_factory=dict)  # message ts -> text, acknowledged
    actions: list[str] = field(default_factory=list)  # descriptions, acknowledged
    refused: list[str] = field(default_factory=list)  # answered, but not 200 (there should be none)
    lost_in_flight: int = 0  # no answer at all: the process died first (Slack would retry these)
    lock: threading.Lock = field(default_factory=threading.Lock)


def send_stream(driver: SlackDriver, card_ts: str, tag: str, replies: int, adds: int,
                on_ack: Callable[[int], None]) -> Stream:
    stream = Stream()
    jobs: list[tuple[str, int]] = [("reply", i) for i in range(replies)] + [("add", i) for i in range(adds)]
    random.shuffle(jobs)
    acked = 0

    def one(job: tuple[str, int]) -> None:
        nonlocal acked
        kind, i = job
        user = SPEAKERS[i % len(SPEAKERS)]
        try:
            if kind == "reply":
                text = f"{tag} reply {i} from {user}"
                answer, ts = driver.post_message(user, CHANNEL, text, thread_ts=card_ts)
            else:
                text = f"{tag} action {i}"
                answer = driver.command("UCHAIR", CHANNEL, "/actions", f"add {text} owner <@{user}>")
        except Exception:  # noqa: BLE001 - a dead socket: the process was killed before answering
            with stream.lock:
                stream.lost_in_flight += 1
            return
        with stream.lock:
            if answer.status != 200:
                stream.refused.append(f"{kind} {answer.status} {answer.body[:200]}")
                return
            if kind == "reply":
                stream.replies[ts] = text
            else:
                stream.actions.append(text)
            acked += 1
            count = acked
        on_ack(count)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(one, jobs))
    return stream


def stored(engine: Engine, stream: Stream, tag: str) -> tuple[dict[str, int], dict[str, int]]:
    """How many times each acknowledged reply and action is in the database."""
    session = make_session_factory(engine)
    with session() as s:
        rows = s.execute(select(Contribution.message_ts, func.count()).where(Contribution.text.like(f"{tag} %"))
                         .group_by(Contribution.message_ts)).all()
        replies = {str(ts): int(n) for ts, n in rows}
        rows = s.execute(select(Action.description, func.count()).where(Action.description.like(f"{tag} %"))
                         .group_by(Action.description)).all()
        actions = {str(d): int(n) for d, n in rows}
    return replies, actions


def everything_kept(engine: Engine, stream: Stream, tag: str) -> bool:
    replies, actions = stored(engine, stream, tag)
    return all(ts in replies for ts in stream.replies) and all(a in actions for a in stream.actions)


@pytest.fixture
def served(fake: FakeSlack, engine: Engine):  # type: ignore[no-untyped-def]
    process = BotProcess(fake, engine.url.render_as_string(hide_password=False)).start()
    yield process
    process.stop()


def test_kill_9_while_replies_and_actions_stream_in_loses_nothing_acknowledged(served, fake, engine):
    driver = served.driver()
    set_up_group(driver, fake)
    give_roles(driver, fake)
    card = start_meeting(driver, fake)
    rng = random.Random(20261201)
    for round_no in range(5):
        tag = f"r{round_no}x{rng.randrange(10**6)}"
        kill_at = rng.randrange(10, 200)  # somewhere in the stream of 250
        killed = threading.Event()

        def maybe_kill(acked: int, kill_at: int = kill_at, killed: threading.Event = killed) -> None:
            if acked >= kill_at and not killed.is_set():
                killed.set()
                served.kill()

        stream = send_stream(driver, card["ts"], tag, replies=200, adds=50, on_ack=maybe_kill)
        assert killed.is_set(), "the stream ended before the process was killed"
        assert stream.refused == []
        served.start()
        fake.wait_until(lambda stream=stream, tag=tag: everything_kept(engine, stream, tag), timeout=60,
                        message=f"round {round_no}: acknowledged requests handled after the restart")
        replies, actions = stored(engine, stream, tag)
        assert all(n == 1 for n in replies.values()), "a reply stored twice"
        assert all(n == 1 for n in actions.values()), "an action added twice"
        assert len(stream.replies) + len(stream.actions) >= kill_at

    session = make_session_factory(engine)
    with session() as s:
        kept_bodies = s.scalar(select(func.count()).select_from(InboxItem).where(InboxItem.body.is_not(None),
                                                                                 InboxItem.handled_at.is_not(None)))
    assert kept_bodies == 0, "a handled request's body (member text) was kept in the inbox"
