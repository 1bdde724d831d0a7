"""The audit log for the chairs: an ephemeral list (`/group audit [n]`) and a CSV file (`/group audit csv`)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.erased import mention
from bot.services.audit_log import AuditLine, AuditLog
from bot.texts import Texts, slack_escape
from handlers.blocks.common import as_dicts, context, header, sections

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def audit_message(log: AuditLog, texts: Texts) -> tuple[str, list[dict[str, Any]]]:
    n = len(log.lines)
    fallback = texts.ui("audit_fallback", group=slack_escape(log.group), n=n)
    if not log.lines:
        return texts.ui("audit_none", group=slack_escape(log.group)), []
    lines = "\n".join(_line(line, log.timezone, texts) for line in log.lines)
    blocks = [header(texts.ui("audit_header", group=log.group)),
              context(texts.ui("audit_intro", n=n, timezone=log.timezone)), *sections(lines)]
    return fallback, as_dicts(blocks)


def _line(line: AuditLine, tz: str, texts: Texts) -> str:
    return texts.ui("audit_line", when=line.at.astimezone(ZoneInfo(tz)).strftime("%a %-d %b %Y %H:%M"),
                    who=mention(line.actor), action=slack_escape(line.action), outcome=slack_escape(line.outcome),
                    detail=", ".join(f"{slack_escape(k)} {_value(v)}" for k, v in line.detail.items()
                                     if v is not None))


def _value(value: Any) -> str:
    text = str(value)
    return f"<@{text}>" if USER_ID.match(text) else slack_escape(text)


def audit_csv(log: AuditLog) -> str:
    """One row an entry: UTC and local time, who, what, outcome, and the details as JSON."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at_utc", f"at_local ({log.timezone})", "actor", "action", "outcome", "detail"])
    zone = ZoneInfo(log.timezone)
    for line in log.lines:
        writer.writerow([line.at.isoformat(), line.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), line.actor,
                         line.action, line.outcome, json.dumps(line.detail, sort_keys=True)])
    return out.getvalue()
