"""The reminders between meetings on Slack (action DMs with Report back buttons, the agenda) and the words
that confirm `/meeting schedule`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block

from bot.domain.reminders import OVERDUE_MAX, Kind, ReminderJob, meeting_label
from bot.domain.snapshots import ActionSnap
from bot.domain.when import format_day
from bot.services.schedule import Scheduled
from bot.texts import Texts
from handlers.blocks.common import actions, as_dicts, button, context, sections
from handlers.ids import Act

MAX_LISTED = 23  # two blocks an action, one for the intro and one for "more", under Slack's 50


def scheduled_texts(s: Scheduled, chair: str, texts: Texts) -> tuple[str, str]:
    """(the chair's private confirmation, the channel's announcement), with exact local dates and times."""
    words: dict[str, Any] = {"group": s.group, "when": meeting_label(s.at, s.timezone), "timezone": s.timezone,
                             "previous": _label(s.previous, s.timezone), "chair": chair}
    return (texts.say("meeting_scheduled", report_back=_label(s.report_back_at, s.timezone),
                      eve=_label(s.eve_at, s.timezone), **words),
            texts.say("meeting_scheduled_channel", **words))


def _label(moment: datetime | None, tz: str) -> str | None:
    return meeting_label(moment, tz) if moment else None


def reminder_message(job: ReminderJob, texts: Texts) -> dict[str, Any]:
    """A reminder's chat.postMessage arguments (text, blocks, and metadata that finds it after a crash)."""
    if job.kind is Kind.MEETING_EVE:
        text, blocks = _agenda(job, texts)
    elif job.kind is Kind.REPORT_BACK:
        text, blocks = _report_back(job, texts)
    else:
        text, blocks = _action(job, texts)
    # Lets a later run find a message Slack accepted just before a crash (see handlers/jobs.py).
    metadata = {"event_type": "reminder_delivery", "event_payload": {"delivery": job.id}}
    return {"text": text, "blocks": as_dicts(blocks), "metadata": metadata}


def _action(job: ReminderJob, texts: Texts) -> tuple[str, list[Block]]:
    [a] = job.actions
    words = {"ref": a.ref, "group": job.group, "description": a.description,
             "due": format_day(a.due_date) if a.due_date else "-", "status": texts.ui(f"status_{a.status}")}
    if job.kind is Kind.ACTION_DUE:
        text = texts.say("reminder_action_due", **words)
    else:
        text = texts.say("reminder_action_overdue", last=job.overdue_number >= OVERDUE_MAX, **words)
    return text, [*sections(text), _report_button(a, texts)]


def _report_back(job: ReminderJob, texts: Texts) -> tuple[str, list[Block]]:
    assert job.meeting_at is not None
    text = texts.say("reminder_report_back", group=job.group, when=meeting_label(job.meeting_at, job.timezone),
                     n=len(job.actions))
    blocks: list[Block] = [*sections(text)[:1]]
    for a in job.actions[:MAX_LISTED]:
        blocks += sections(texts.say("reminder_report_back_line", ref=a.ref, description=a.description,
                                     status=texts.ui(f"status_{a.status}"),
                                     due=format_day(a.due_date) if a.due_date else None))[:1]
        blocks.append(_report_button(a, texts))
    if len(job.actions) > MAX_LISTED:
        blocks.append(context(texts.say("reminder_report_back_more", n=len(job.actions) - MAX_LISTED)))
    return text, blocks


def _report_button(a: ActionSnap, texts: Texts) -> Block:
    """The same button `/actions` draws (value: the action's id), so a click opens the same Report back form."""
    return actions(button(texts.ui("report_button"), Act.REPORT_OPEN, str(a.id)), block_id=f"r:{a.id}")


def _agenda(job: ReminderJob, texts: Texts) -> tuple[str, list[Block]]:
    assert job.meeting_at is not None and job.agenda is not None
    agenda, when = job.agenda, meeting_label(job.meeting_at, job.timezone)
    text = texts.say("reminder_meeting_eve", number=agenda.number, group=job.group, when=when,
                     timezone=job.timezone, stages=[texts.stage(s, "title") for s in agenda.stages],
                     themes=list(agenda.themes), follow_up=agenda.follow_up, open_actions=agenda.open_actions)
    fallback = texts.say("reminder_meeting_eve_fallback", number=agenda.number, group=job.group, when=when)
    return fallback, sections(text)
