"""The progress report and the exports on two years of a group's history.

Builds, straight into a SQLite database (the bench is about reading, not about typing it in): 100 meetings
with attendance and feedback, 4 agreement versions with signatures, 2,000 actions with 2-3 reports back
each, and 50 managers' weekly check-ins over 104 weeks (5,200 answers). Then times, each from a cold
unit of work, the progress report (queries + 7 matplotlib charts + the HTML page), the action plan as CSV,
Markdown and HTML, and the check-ins CSV, with peak Python memory (tracemalloc) and the process's peak
resident size (getrusage). Usage: python bench/report.py [sqlite-url]
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.clock import FakeClock  # noqa: E402
from bot.services import exports, report  # noqa: E402
from bot.services.common import Reader  # noqa: E402
from bot.services.exports import PlanFilters  # noqa: E402
from handlers.blocks.charts import charts  # noqa: E402
from handlers.blocks.plan_files import checkins_csv, plan_csv, plan_html, plan_markdown  # noqa: E402
from handlers.blocks.report_html import report_html  # noqa: E402
from storage.db import make_engine, make_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    Action,
    ActionUpdate,
    AgreementVersion,
    Attendance,
    CheckinAnswer,
    CheckinWeek,
    Contribution,
    Group,
    Meeting,
    Member,
    Signature,
)
from storage.uow import UnitOfWork  # noqa: E402

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
NOW = START + timedelta(weeks=104)
THEMES = ["Maintaining Identity", "Sharing Decision-making", "Creating Community", "Managing Transitions",
          "Improving Health & Healthcare", "Supporting Good End of Life", "Keeping Workforce Fit for Purpose",
          "Promoting a Positive Culture"]
STATUSES = ["not-started", "in-progress", "done", "blocked", "dropped"]


def build(session: Any) -> None:
    rnd = random.Random(11)
    group = Group(team_id="T1", channel_id="CBENCH", name="Bench Care Home Strategy Group", theme_set="my_home_life",
                  timezone="Europe/London", created_by="UCHAIR", created_at=START)
    session.add(group)
    session.flush()
    people = ["UCHAIR"] + [f"UMEM{i:03d}" for i in range(30)] + [f"UMGR{i:03d}" for i in range(50)]
    for i, user in enumerate(people):
        role = "chair" if i == 0 else "manager" if user.startswith("UMGR") else "member"
        session.add(Member(group_id=group.id, user_id=user, role=role, organisation=f"Organisation {i % 20}",
                           display_name=f"Person {i}", joined_at=START))
    for n in range(1, 101):
        at = START + timedelta(days=7 * n)
        meeting = Meeting(group_id=group.id, number=n, status="ended", stage="close", is_follow_up=n > 1,
                          started_by="UCHAIR", started_at=at, ended_at=at + timedelta(hours=2))
        session.add(meeting)
        session.flush()
        for user in rnd.sample(people, 12):
            session.add(Attendance(meeting_id=meeting.id, user_id=user, status="present", organisation=None,
                                   recorded_at=at))
            session.add(Contribution(meeting_id=meeting.id, stage="feedback", user_id=user, text="Useful",
                                     details={"rating": rnd.randint(2, 5)}, source="modal", created_at=at,
                                     updated_at=at))
    for v in range(1, 5):
        version = AgreementVersion(group_id=group.id, version=v, text="We agree to work in partnership.",
                                   published_by="UCHAIR", published_at=START + timedelta(weeks=26 * (v - 1)))
        session.add(version)
        session.flush()
        session.add_all(Signature(agreement_version_id=version.id, user_id=u, signed_at=version.published_at)
                        for u in rnd.sample(people, 60))
    for number in range(1, 2001):
        made = START + timedelta(hours=rnd.randint(0, 104 * 7 * 24 - 200))
        status = rnd.choice(STATUSES)
        action = Action(group_id=group.id, number=number, description=f"Action {number}: agree a shared approach",
                        theme=rnd.choice(THEMES), owner_id=rnd.choice(people), agency=f"Organisation {number % 25}",
                        prerequisites="A lead named", due_date=(made + timedelta(days=rnd.randint(10, 200))).date(),
                        status=status, source="command", created_by="UCHAIR", created_at=made)
        session.add(action)
        session.flush()
        steps = rnd.randint(1, 3)
        for k in range(steps):
            session.add(ActionUpdate(action_id=action.id, author=action.owner_id, old_status="not-started",
                                     new_status=status if k == steps - 1 else "in-progress", note=f"Report {k + 1}",
                                     at=made + timedelta(days=10 * (k + 1))))
    for w in range(104):
        start = (START + timedelta(weeks=w)).date()
        week = CheckinWeek(group_id=group.id, week_start=start, opened_at=START + timedelta(weeks=w),
                           digest_at=START + timedelta(weeks=w, hours=48), invited=50, answered=0, away=0)
        session.add(week)
        session.flush()
        answered = [u for u in people if u.startswith("UMGR") and rnd.random() < 0.8]
        week.answered = len(answered)
        session.add_all(CheckinAnswer(week_id=week.id, user_id=u, created_at=week.opened_at, updated_at=week.opened_at,
                                      answers={"working_well": {"text": "Good week", "chair_only": False},
                                               "not_working": {"text": "Agency staff at night", "chair_only": True}})
                        for u in answered)
    session.commit()


def measure(label: str, work: Callable[[], Any]) -> None:
    """Time one run as it would go in the bot, then run it again under tracemalloc (which slows Python several
    times over) for its peak memory."""
    started = time.perf_counter()
    out = work()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = len(out) if isinstance(out, (bytes, str)) else 0
    print(f"{label:<28} {elapsed:6.2f} s   peak Python memory {peak / 2**20:6.1f} MB   "
          f"process peak RSS {rss:6.0f} MB   output {size / 1024:7.0f} KB")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        upgrade(engine)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        with factory() as session:
            build(session)
        print(f"built 2 years of history in {time.perf_counter() - started:.1f} s: 100 meetings, 2,000 actions, "
              f"50 managers' weekly check-ins")
        clock = FakeClock(NOW)

        def uow() -> UnitOfWork:
            return UnitOfWork(factory)

        def full_report() -> str:
            data = report.progress_report(uow(), clock, team_id="T1", channel_id="CBENCH", actor="UCHAIR",
                                          since="6 January 2026")
            return report_html(data, charts(data))

        def plan(render: Callable[[exports.ActionPlan], Any]) -> Callable[[], Any]:
            reader = Reader("UCHAIR", "export.actions", NOW)
            return lambda: render(exports.export_plan(uow(), clock, team_id="T1", channel_id="CBENCH", reader=reader,
                                                      filters=PlanFilters(), theme_names=THEMES))

        measure("progress report (HTML)", full_report)
        measure("action plan CSV", plan(plan_csv))
        measure("action plan Markdown", plan(plan_markdown))
        measure("action plan HTML", plan(plan_html))
        measure("check-ins CSV", lambda: checkins_csv(exports.export_checkins(
            uow(), clock, team_id="T1", channel_id="CBENCH", actor="UCHAIR", labels={})))


if __name__ == "__main__":
    main()
