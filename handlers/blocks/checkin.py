"""The weekly check-in on Slack: the DM with its button, the reminder, the form, the chairs' digest and the
channel's summary (only for groups that chose one)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.domain.checkins import MAX_ANSWER, ChannelSummary, CheckinForm, DeliveryJob, Digest
from bot.domain.erased import mention as _mention
from bot.texts import Texts, slack_escape
from handlers.blocks.common import actions, as_dicts, button, chunks, context, header, sections
from handlers.blocks.guardrail import resident_check
from handlers.ids import Act, answer_block, chair_only_block
from handlers.ids import View as ViewId


def week_label(week: date) -> str:
    return week.strftime("%-d %B %Y")


def moment_label(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%A %-d %B at %H:%M")


def _metadata(job: DeliveryJob) -> dict[str, Any]:
    # Lets a later run find a message Slack accepted just before a crash (see handlers/jobs.py).
    return {"event_type": "checkin_delivery", "event_payload": {"delivery": job.id}}


def invite_message(job: DeliveryJob, texts: Texts) -> dict[str, Any]:
    """The Monday DM (or the reminder): greeting, the questions, and the button that opens the form."""
    words = {"group": slack_escape(job.group), "week": week_label(job.week)}
    if job.kind == "reminder":
        closes = moment_label(job.closes_at, job.timezone) if job.closes_at else "-"
        text = texts.ui("checkin_reminder", closes=closes, **words)
    else:
        text = texts.ui("checkin_dm", checkin_privacy=texts.ui("checkin_privacy", shared=job.shared), **words)
    questions = texts.ui("checkin_dm_questions", questions=[q.label for q in texts.checkin_questions])
    value = f"{job.group_id}:{job.week.isoformat()}"
    blocks = [*sections(f"{text}\n\n{questions}"),
              actions(button(texts.ui("checkin_button"), Act.ANSWER_CHECKIN, value, "primary"),
                      block_id=f"checkin:{job.group_id}:{job.week.isoformat()}")]
    return {"text": text, "blocks": as_dicts(blocks), "metadata": _metadata(job)}


def digest_message(job: DeliveryJob, digest: Digest, texts: Texts) -> dict[str, Any]:
    """Who answered, who did not, who is away, the answers by question, and what came up more than once."""
    mention = ", ".join
    lines = [texts.ui("checkin_digest_summary", answered=len(digest.answered), total=digest.total),
             texts.ui("checkin_status_answered", names=mention(_mention(u) for u in digest.answered) or
                      texts.ui("nobody")),
             texts.ui("checkin_status_missing", names=mention(_mention(u) for u in digest.missing) or
                      texts.ui("nobody"))]
    if digest.away:
        lines.append(texts.ui("checkin_status_away", names=mention(_mention(u) for u in digest.away)))
    blocks: list[Block] = [header(texts.ui("checkin_digest_header", group=digest.group, week=week_label(digest.week))),
                           context(texts.ui("checkin_digest_private", shared=digest.shared)),
                           *sections("\n".join(lines))]
    for q in texts.checkin_questions:
        said = [texts.ui("checkin_digest_answer", name=_mention(a.user_id), chair_only=a.chair_only,
                         text=slack_escape(a.text)) for a in digest.answers if a.question == q.key]
        body = "\n".join(said) or texts.ui("checkin_digest_no_answers")
        blocks += sections(f"{texts.ui('checkin_digest_question', question=q.label)}\n{body}")
    themes = ", ".join(slack_escape(t) for t in digest.themes)
    blocks.append(context(texts.ui("checkin_digest_themes", themes=themes) if themes
                          else texts.ui("checkin_digest_no_themes")))
    fallback = texts.ui("checkin_digest_fallback", group=slack_escape(digest.group), week=week_label(digest.week),
                        answered=len(digest.answered), total=digest.total)
    if len(blocks) > 50:  # very long answers: keep the header and the start, Slack refuses more than 50 blocks
        blocks = blocks[:49] + [context("…")]
    return {"text": fallback, "blocks": as_dicts(blocks), "metadata": _metadata(job)}


def summary_message(job: DeliveryJob, summary: ChannelSummary, texts: Texts) -> dict[str, Any]:
    """The channel's summary, for groups that chose one: counts and recurring topics, nothing about anyone."""
    week = week_label(summary.week)
    themes = ", ".join(slack_escape(t) for t in summary.themes)
    lines = [texts.ui("checkin_summary_counts", answered=summary.answered, total=summary.total),
             texts.ui("checkin_summary_themes", themes=themes) if themes else texts.ui("checkin_summary_no_themes")]
    blocks: list[Block] = [header(texts.ui("checkin_summary_header", group=summary.group, week=week)),
                           *sections("\n".join(lines)), context(texts.ui("checkin_summary_note"))]
    fallback = texts.ui("checkin_summary_fallback", group=slack_escape(summary.group), week=week,
                        answered=summary.answered, total=summary.total)
    return {"text": fallback, "blocks": as_dicts(blocks), "metadata": _metadata(job)}


def checkin_modal(form: CheckinForm, texts: Texts) -> dict[str, Any]:
    """One field per question with its own "chair only" box; last week's answers shown above, for reference."""
    blocks: list[Any] = [*sections(texts.ui("checkin_modal_intro", group=slack_escape(form.group),
                                            week=week_label(form.week))),
                         context(texts.ui("checkin_privacy", shared=form.shared))]
    if form.last_week:
        said = [texts.ui("checkin_last_week_line", question=q.label, answer=slack_escape(form.last_week[q.key]))
                for q in texts.checkin_questions if q.key in form.last_week]
        blocks += [context(part) for part in chunks("\n".join([texts.ui("checkin_last_week"), *said]), 2000)][:5]
    if form.answered_at is not None:
        blocks.append(context(texts.ui("checkin_modal_editing", when=form.answered_at.strftime("%A %-d %B"))))
    box = Option(value="chair_only", text=texts.ui("checkin_chair_only")[:75])
    privacy = PlainTextObject(text=texts.ui("checkin_privacy_label")[:2000])
    for q in texts.checkin_questions:
        text, chair_only = form.current.get(q.key, ("", False))
        element = PlainTextInputElement(action_id=answer_block(q.key), multiline=True, max_length=MAX_ANSWER,
                                        initial_value=text[:MAX_ANSWER] or None)
        blocks.append(InputBlock(block_id=answer_block(q.key), label=PlainTextObject(text=q.label[:2000]),
                                 hint=PlainTextObject(text=q.hint[:2000]) if q.hint else None, element=element,
                                 optional=True))
        blocks.append(InputBlock(block_id=chair_only_block(q.key), label=privacy, optional=True,
                                 element=CheckboxesElement(action_id=chair_only_block(q.key), options=[box],
                                                           initial_options=[box] if chair_only else None)))
    return View(type="modal", callback_id=ViewId.WEEKLY_CHECKIN, title=PlainTextObject(
        text=texts.ui("checkin_modal_title")[:24]), submit=PlainTextObject(text=texts.ui("submit")[:24]),
                close=PlainTextObject(text=texts.ui("cancel")[:24]), blocks=[*blocks[:99], resident_check(texts)],
                private_metadata=json.dumps({"group_id": form.group_id, "week": form.week.isoformat()})).to_dict()
