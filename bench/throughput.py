"""How many requests a second one web process sustains with p99 under 100 ms, and what two do on PostgreSQL.

Each setup runs the real `python -m bot --no-scheduler` (gunicorn, default settings) against the Slack
stand-in, on a fresh database, with a running meeting. Load is open-loop: requests are sent at a fixed
rate whatever the bot's pace, and each one's latency runs from when it was due (so a bot that falls
behind is charged for the queue, not flattered by it). The mix is a busy meeting's: four thread replies
into the check-in card (each stored, confirmed with a ✅ and the card redrawn, after the ack) to one
`/meeting status`. The rate rises step by step until the p99 of the answers Slack waits for (the ack)
crosses 100 ms; the last rate under it is the figure. Two processes share the load alternately, as a
load balancer would.

Setups: one process on SQLite (the default), and, when BENCH_DATABASE_URL or TEST_DATABASE_URL names a
PostgreSQL server, one and two processes on PostgreSQL (a database `<name>_bench` beside the named one is
created, and emptied each run). The load generator and the stand-in share the machine with the bot, so
the figures are a floor for what a dedicated host does.

Usage: python bench/throughput.py [seconds per step]
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from storage.db import make_engine, normalise_url  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.harness import CHANNEL, PEOPLE, make_fake  # noqa: E402
from tests.process import BotProcess  # noqa: E402
from tests.standin import FakeSlack  # noqa: E402
from tests.steps import give_roles, set_up_group, start_meeting  # noqa: E402

LIMIT_MS = 100.0
RATES = [2, 5, 10, 15, 20, 30, 40, 60, 80, 100, 130, 160, 200, 250, 300, 400]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def postgres_bench_url() -> str | None:
    given = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not given or not normalise_url(given).startswith("postgresql"):
        return None
    url = make_url(normalise_url(given))
    name = f"{url.database}_bench"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def step(fake: FakeSlack, web: list[BotProcess], card_ts: str, rate: int, seconds: float) -> tuple[float, float, int]:
    """Send `rate` requests a second for `seconds`; (p50 ms, p99 ms, failures) of the acks."""
    drivers = [p.driver() for p in web]
    users = list(PEOPLE)
    total = int(rate * seconds)
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def one(i: int) -> None:
        nonlocal failures
        due = start + i / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        driver, user = drivers[i % len(drivers)], users[i % len(users)]
        try:
            if i % 5 == 4:
                ok = driver.command(user, CHANNEL, "/meeting", "status").status == 200
            else:
                ok = driver.post_message(user, CHANNEL, f"rate {rate} reply {i}", thread_ts=card_ts)[0].status == 200
        except Exception:  # noqa: BLE001 - a refused or dropped connection counts as a failure
            ok = False
        took = (time.perf_counter() - due) * 1000
        with lock:
            latencies.append(took)
            failures += 0 if ok else 1

    # Enough senders that the generator never waits for a free one below the bot's limit.
    with ThreadPoolExecutor(max_workers=min(256, max(16, rate // 2))) as pool:
        list(pool.map(one, range(total)))
    return pct(latencies, 50), pct(latencies, 99), failures


def ramp(label: str, urls: list[str], seconds: float) -> tuple[str, int, float]:
    """The highest rate whose ack p99 stayed under LIMIT_MS, for `label`'s processes on `urls`."""
    fake = make_fake()
    engine = make_engine(urls[0])
    upgrade(engine)
    engine.dispose()
    web = [BotProcess(fake, url).start(timeout=60) for url in urls]
    try:
        driver = web[0].driver()
        set_up_group(driver, fake)
        give_roles(driver, fake)
        card = start_meeting(driver, fake)
        step(fake, web, card["ts"], 5, 2)  # warm up (connections, caches, the first redraws); not counted
        best, best_p99 = 0, 0.0
        for rate in RATES:
            p50, p99, failures = step(fake, web, card["ts"], rate, seconds)
            print(f"  {label:<28} {rate:>4} req/s  p50={p50:6.1f} ms  p99={p99:7.1f} ms  failed={failures}",
                  flush=True)
            if p99 >= LIMIT_MS or failures:
                break
            best, best_p99 = rate, p99
            time.sleep(1)  # let the work queued after the acks (✅, redraws) drain before the next step
        return label, best, best_p99
    finally:
        for process in web:
            process.stop()
        fake.stop()


def main(seconds: float = 5.0) -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        print(f"Ramping each setup ({seconds:g} s a step) until the ack p99 crosses {LIMIT_MS:g} ms:")
        results.append(ramp("1 web process, SQLite", [f"sqlite:///{tmp}/bench.db"], seconds))
    pg = postgres_bench_url()
    if pg is None:
        print("PostgreSQL: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server to measure it.")
    else:
        results.append(ramp("1 web process, PostgreSQL", [pg], seconds))
        results.append(ramp("2 web processes, PostgreSQL", [postgres_bench_url() or pg] * 2, seconds))
    print(f"\nSustained with ack p99 < {LIMIT_MS:g} ms (4 thread replies : 1 /meeting status):")
    for label, rate, p99 in results:
        print(f"  {label:<28} {rate:>4} req/s   (p99 {p99:.1f} ms at that rate)")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)
