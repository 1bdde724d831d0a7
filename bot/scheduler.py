"""The scheduler: a few static periodic ticks (APScheduler 3.11); the database says what is due.

Jobs are plain functions held in memory (no APScheduler job store): after a restart they are simply
registered again, and anything missed is found in the database: what is due to be sent at once, what
is due to be planned on the next minute's tick.
"""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot import metrics
from bot.app import Bundle, recover_stale_requests
from handlers import jobs, retention_job

SEND_EVERY = 10  # seconds; with deliveries.LEASE (20 s) a crashed fan-out resumes within about 30 s


def build_scheduler(bundle: Bundle, *, blocking: bool = False) -> BaseScheduler:
    scheduler: BaseScheduler = BlockingScheduler(timezone="UTC") if blocking else BackgroundScheduler(timezone="UTC")
    client = bundle.app.client
    scheduler.add_job(jobs.repost_unposted_cards, "interval", seconds=60, args=[client, bundle.deps],
                      id="repost_unposted_cards", max_instances=1, coalesce=True)
    # The weekly check-in: every minute, open what is due and send what is planned (the database decides).
    scheduler.add_job(jobs.run_checkins, "interval", seconds=60, args=[client, bundle.deps],
                      id="run_checkins", max_instances=1, coalesce=True)
    # Reminders between meetings (actions due and overdue, report back, the agenda): the same way.
    scheduler.add_job(jobs.run_reminders, "interval", seconds=60, args=[client, bundle.deps],
                      id="run_reminders", max_instances=1, coalesce=True)
    # Check-in escalations to the chairs and the scheduled progress report: both are decided weekly or monthly,
    # so every five minutes is soon enough (the database says what is due and what was sent).
    scheduler.add_job(jobs.run_checkin_escalations, "interval", seconds=300, args=[client, bundle.deps],
                      id="run_checkin_escalations", max_instances=1, coalesce=True)
    scheduler.add_job(jobs.run_progress_reports, "interval", seconds=300, args=[client, bundle.deps],
                      id="run_progress_reports", max_instances=1, coalesce=True)
    # Sending alone, at start and every few seconds: a fan-out interrupted by a crash (here or in another
    # process) resumes within seconds of its claims lapsing, not at the next minute's planning tick.
    scheduler.add_job(jobs.send_due, args=[client, bundle.deps], id="send_due_at_start")
    scheduler.add_job(jobs.send_due, "interval", seconds=SEND_EVERY, args=[client, bundle.deps],
                      id="send_due", max_instances=1, coalesce=True)
    # Requests acknowledged but left unhandled for minutes (their process died after this one started;
    # what died before it is handled when it starts), and the inbox's old keys.
    scheduler.add_job(recover_stale_requests, "interval", seconds=60, args=[bundle],
                      id="recover_stale_requests", max_instances=1, coalesce=True)
    # The retention schedule, daily at a quiet hour: a fixed time of day (not every 24 h from start), so a
    # process restarted every day still runs it; a run missed by a few hours is made up, not doubled.
    scheduler.add_job(retention_job.run_daily_retention, "cron", hour=3, minute=17, args=[bundle.deps],
                      id="run_retention", max_instances=1, coalesce=True, misfire_grace_time=6 * 3600)
    metrics.watch_scheduler(scheduler)  # /metrics: seconds since each job last ran
    return scheduler
