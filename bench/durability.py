"""Durable before acknowledged, measured: ack latency with the inbox write, and kill -9 rounds.

Runs the real `python -m bot` (gunicorn) against the Slack stand-in and prints:
- the floor: one durable commit of an inbox row on this database, timed directly;
- thread-reply and `/actions add` ack latency (Slack allows 3 s), one at a time and 20 at once;
- crash rounds: replies and `/actions add` streaming in, SIGKILL at a random moment, restart, and
  how many acknowledged requests were then missing or stored twice.
Usage: python bench/durability.py [rounds] [database-url]   (default: 20 rounds, a fresh SQLite file)
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.clock import SystemClock  # noqa: E402
from bot.services import inbox  # noqa: E402
from storage.db import make_engine, make_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.uow import UnitOfWork  # noqa: E402
from tests.e2e.test_crash_durability import send_stream, stored  # noqa: E402
from tests.harness import CHANNEL, make_fake  # noqa: E402
from tests.process import BotProcess  # noqa: E402
from tests.steps import give_roles, set_up_group, start_meeting  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def line(name: str, seconds: list[float]) -> str:
    ms = [v * 1000 for v in seconds]
    return (f"{name:<42} n={len(ms):<4} p50={pct(ms, 50):7.1f} ms  p99={pct(ms, 99):7.1f} ms  "
            f"max={max(ms):7.1f} ms  mean={statistics.fmean(ms):7.1f} ms")


def commit_floor(url: str, n: int = 200) -> list[float]:
    factory = make_session_factory(make_engine(url))
    clock, times = SystemClock(), []
    for i in range(n):
        started = time.perf_counter()
        inbox.receive(UnitOfWork(factory), clock, key=f"bench:{time.time_ns()}:{i}", kind="bench",
                      content_type="application/json", body=b"{}")
        times.append(time.perf_counter() - started)
    return times


def acks(process: BotProcess, card_ts: str, concurrency: int, n: int, kind: str) -> list[float]:
    driver = process.driver()
    users = ["UMGR1", "UMGR2", "UNHS", "UCQC", "UHW"]

    def one(i: int) -> float:
        started = time.perf_counter()
        if kind == "reply":
            answer, _ = driver.post_message(users[i % 5], CHANNEL, f"bench reply {i}", thread_ts=card_ts)
        else:
            answer = driver.command("UCHAIR", CHANNEL, "/actions", f"add bench action {kind}{i} owner <@UMGR1>")
        assert answer.status == 200, answer.status
        return time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, range(n)))


def crash_rounds(process: BotProcess, url: str, card_ts: str, rounds: int) -> None:
    engine = make_engine(url)
    rng = random.Random()
    acknowledged = missing = doubled = 0
    for r in range(rounds):
        tag = f"bench{r}x{rng.randrange(10**6)}"
        kill_at, killed = rng.randrange(10, 240), threading.Event()

        def maybe_kill(count: int, kill_at: int = kill_at, killed: threading.Event = killed) -> None:
            if count >= kill_at and not killed.is_set():
                killed.set()
                process.kill()

        stream = send_stream(process.driver(), card_ts, tag, replies=200, adds=50, on_ack=maybe_kill)
        process.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies, actions = stored(engine, stream, tag)
            if all(ts in replies for ts in stream.replies) and all(a in actions for a in stream.actions):
                break
            time.sleep(0.1)
        replies, actions = stored(engine, stream, tag)
        acknowledged += len(stream.replies) + len(stream.actions)
        missing += sum(ts not in replies for ts in stream.replies) + sum(a not in actions for a in stream.actions)
        doubled += sum(n > 1 for n in replies.values()) + sum(n > 1 for n in actions.values())
    print(f"kill -9 rounds: {rounds}; acknowledged {acknowledged}; lost {missing}; stored twice {doubled}")


def main(rounds: int = 20, url: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.db"
        upgrade(make_engine(url))
        print(f"database: {url.split(':')[0]}")
        print(line("one durable inbox commit (the floor)", commit_floor(url)))
        fake = make_fake()
        process = BotProcess(fake, url).start()
        try:
            driver = process.driver()
            set_up_group(driver, fake)
            give_roles(driver, fake)
            card = start_meeting(driver, fake)
            print(line("thread reply ack, 1 at a time", acks(process, card["ts"], 1, 100, "reply")))
            print(line("thread reply ack, 20 at once", acks(process, card["ts"], 20, 200, "reply")))
            print(line("/actions add ack, 1 at a time", acks(process, card["ts"], 1, 50, "a")))
            print(line("/actions add ack, 20 at once", acks(process, card["ts"], 20, 100, "b")))
            crash_rounds(process, url, card["ts"], rounds)
        finally:
            process.stop()
            fake.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, sys.argv[2] if len(sys.argv) > 2 else None)
