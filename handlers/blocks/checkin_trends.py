"""The chairs' escalation DM when a care home's check-ins show a run (bot/services/checkin_trends.py)."""

from __future__ import annotations

from typing import Any

from bot.services.checkin_trends import SILENT, EscalationJob
from bot.texts import Texts


def escalation_message(job: EscalationJob, texts: Texts) -> dict[str, Any]:
    run = job.run
    key = "escalation_silent" if run.kind == SILENT else "escalation_concern"
    text = texts.ui(key, home=run.home, manager=run.manager, group=job.group, weeks=run.weeks,
                    since=run.since.strftime("%-d %B %Y"), concern=run.concern)
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
            "metadata": {"event_type": "escalation_delivery", "event_payload": {"delivery": job.id}}}
