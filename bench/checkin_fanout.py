"""The weekly check-in fan-out against Slack's rate limits, over real HTTP to the stand-in.

300 managers; the stand-in answers every tenth Web API call with 429 and Retry-After. Prints the
duration against what the limits imply (the Retry-After waits plus the calls themselves) and checks that
every manager got exactly one DM. Usage: python bench/checkin_fanout.py [managers] [retry_after_seconds]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.clock import SystemClock  # noqa: E402
from bot.domain.roles import Role  # noqa: E402
from bot.services import checkins, groups  # noqa: E402
from handlers.jobs import send_due_checkins  # noqa: E402
from storage.db import make_engine  # noqa: E402
from tests.harness import CHANNEL, RunningBot, make_fake  # noqa: E402
from tests.steps import set_up_group  # noqa: E402


def main(managers: int = 300, retry_after: int = 1) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fake = make_fake()
        bot = RunningBot(fake, make_engine(f"sqlite:///{tmp}/bench.db"), SystemClock())
        deps, client = bot.bundle.deps, bot.bundle.app.client
        set_up_group(bot.driver(), fake)
        users = [f"UM{i:04d}" for i in range(managers)]
        for user in users:  # roles through the service: the bench is about the fan-out, not /group role
            fake.add_user(user, user.lower(), f"Manager {user}")
            groups.set_role(deps.uow(), deps.clock, team_id=fake.team_id, channel_id=CHANNEL, actor="UCHAIR",
                            user_id=user, role=Role.MANAGER, organisation=None, in_channel=True)

        fake.rate_limit_every(10, None, retry_after=retry_after)
        mark = fake.mark()
        started = time.perf_counter()
        _, planned = checkins.send_now(deps.uow(), deps.clock, team_id=fake.team_id, channel_id=CHANNEL,
                                       actor="UCHAIR")
        sent = send_due_checkins(client, deps)
        elapsed = time.perf_counter() - started

        calls = fake.calls[mark:]
        limited = sum(1 for c in calls if c.status == 429)
        dms = {u: sum(1 for m in fake.dms(u) if "weekly check-in" in (m.get("text") or "")) for u in users}
        assert planned == sent == managers, (planned, sent)
        assert all(n == 1 for n in dms.values()), {u: n for u, n in dms.items() if n != 1}
        waits = limited * retry_after
        per_call = (elapsed - waits) / max(1, len(calls))
        print(f"Check-in fan-out: {managers} managers, 429 + Retry-After {retry_after}s on every 10th call (SQLite)")
        print(f"  DMs sent          {sent} (exactly one each: yes)")
        print(f"  Web API calls     {len(calls)} ({limited} answered 429, {len(calls) - limited} accepted)")
        print(f"  duration          {elapsed:6.1f} s")
        print(f"  limits imply      {waits:6.1f} s of Retry-After waits + the calls themselves")
        print(f"  overhead          {elapsed - waits:6.1f} s ({per_call * 1000:.1f} ms a call, database included)")
        print(f"  throughput        {len(calls) / elapsed:6.1f} calls/s, {sent / elapsed:6.1f} DMs/s "
              f"(one 429 in ten calls allows at most {10 / (10 * per_call + retry_after):.1f} calls/s "
              "at this call latency)")
        bot.stop()
        fake.stop()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
