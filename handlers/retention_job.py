"""The daily retention run (bot/scheduler.py): deletes what is past its time; the service audits each run."""

from __future__ import annotations

import logging

from bot.services.retention import run_retention
from handlers.deps import Deps

log = logging.getLogger(__name__)


def run_daily_retention(deps: Deps) -> dict[str, int]:
    """Rows deleted by kind (counts only: nothing of what was deleted reaches the log)."""
    run = run_retention(deps.uow, deps.clock, deps.retention)
    log.info("retention run: %d groups looked at, deleted %s", run.groups,
             ", ".join(f"{kind} {n}" for kind, n in run.deleted.items()))
    return dict(run.deleted)
