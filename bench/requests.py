"""How fast the bot acknowledges Slack, and how soon a thread reply is confirmed, over real HTTP.

Runs the real app in-process against the Slack stand-in on a fresh SQLite file and prints figures:
ack latency of slash commands and thread-reply events (Slack's limit is 3 s), and the time from a
thread reply to the bot's ✅ reaction and card update. Usage: python bench/requests.py [replies]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.clock import SystemClock  # noqa: E402
from storage.db import make_engine  # noqa: E402
from tests.harness import CHANNEL, PEOPLE, RunningBot, make_fake  # noqa: E402
from tests.steps import give_roles, set_up_group, start_meeting  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{name:<34} n={len(ms):<4} p50={pct(ms, 50):7.1f} ms  p95={pct(ms, 95):7.1f} ms  "
            f"max={max(ms):7.1f} ms  mean={statistics.fmean(ms):7.1f} ms")


def main(replies: int = 200) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fake = make_fake()
        bot = RunningBot(fake, make_engine(f"sqlite:///{tmp}/bench.db"), SystemClock())
        driver = bot.driver()
        set_up_group(driver, fake)
        give_roles(driver, fake)
        card = start_meeting(driver, fake)
        users = list(PEOPLE)

        acks, confirmations = [], []
        for i in range(replies):
            mark = fake.mark()
            started = time.perf_counter()
            answer, ts = driver.post_message(users[i % len(users)], CHANNEL, f"Reply number {i}", thread_ts=card["ts"])
            acks.append(time.perf_counter() - started)
            assert answer.status == 200
            fake.wait_for("reactions.add", after=mark, timestamp=ts, timeout=10)
            confirmations.append(time.perf_counter() - started)

        command_acks = []
        for _ in range(50):
            started = time.perf_counter()
            assert driver.command("UMGR1", CHANNEL, "/meeting", "status").status == 200
            command_acks.append(time.perf_counter() - started)

        print(f"Bot on SQLite, {replies} thread replies into one card, then 50 /meeting status")
        print(line("ack: thread-reply event", acks))
        print(line("ack: /meeting status", command_acks))
        print(line("reply -> ✅ reaction", confirmations))
        bot.stop()
        fake.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
