"""The retention schedule as data: each kind of record, how long it is kept by default, and the bounds a
group's chair may set it within. Pure: callers pass `now` and the months (see bot/services/retention.py).

Defaults follow UK GDPR's storage limitation and the NHS Records Management Code of Practice: keep what
a member wrote only as long as the group needs it to act on it, keep the record of who did what (which
holds no member text) as long as the Code keeps corporate records. README, "Data protection", says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from bot.domain.errors import BadInput


class Kind(StrEnum):
    CHECKINS = "checkins"  # check-in answers and every earlier version of them, by the week they answer
    CONTRIBUTIONS = "contributions"  # what members said in a meeting (theme answers, proposals, welcome words)
    FEEDBACK = "feedback"  # end-of-meeting feedback
    DELIVERIES = "deliveries"  # the record of DMs and reminders sent, and ended away periods
    AUDIT = "audit"  # the audit log: who did what, when (no member text)
    GROUP = "group"  # a whole group, after this long with no activity at all


@dataclass(frozen=True)
class Rule:
    kind: Kind
    default: int  # months
    least: int
    most: int
    words: tuple[str, ...]  # what a chair may type for it, besides the kind's own name


RULES: dict[Kind, Rule] = {r.kind: r for r in (
    Rule(Kind.CHECKINS, 12, 1, 120, ("checkin", "check-in", "check-ins", "answers", "checkin-answers")),
    Rule(Kind.CONTRIBUTIONS, 24, 1, 120, ("contribution", "meeting", "theme-answers")),
    Rule(Kind.FEEDBACK, 24, 1, 120, ()),
    Rule(Kind.DELIVERIES, 3, 1, 120, ("delivery", "reminders", "dms", "sent")),
    # The audit log is how a group shows who changed what: a chair may not shorten it below a year.
    Rule(Kind.AUDIT, 72, 12, 120, ("audit-log", "log")),
    Rule(Kind.GROUP, 24, 6, 120, ("groups", "inactive", "inactive-group")),
)}

DEFAULTS: Mapping[Kind, int] = {k: r.default for k, r in RULES.items()}
KEEP_DEFAULT = ("default", "reset")


def parse_kind(word: str) -> Kind | None:
    word = word.strip().lower().replace("_", "-")
    return next((k for k, r in RULES.items() if word == k.value or word in r.words), None)


def parse_months(words: str, kind: Kind) -> int | None:
    """`18`, `18 months`, `2 years` -> months within the kind's bounds; None means "back to the default".

    Raises BadInput (with the kind's bounds) for anything else.
    """
    parts = words.strip().lower().split()
    if len(parts) == 1 and parts[0] in KEEP_DEFAULT:
        return None
    rule = RULES[kind]
    unit = parts[1] if len(parts) == 2 else "months"
    if not parts or len(parts) > 2 or not parts[0].isdigit() or unit not in ("month", "months", "year", "years"):
        raise BadInput("retention_months_bad", kind=kind.value, given=words.strip(), least=rule.least,
                       most=rule.most)
    months = int(parts[0]) * (12 if unit.startswith("year") else 1)
    if not rule.least <= months <= rule.most:
        raise BadInput("retention_months_range", kind=kind.value, months=months, least=rule.least,
                       most=rule.most)
    return months


def parse_setting(text: str) -> tuple[Kind, int | None]:
    """`/group retention <kind> <months>`: the kind and the months (None: back to the default)."""
    word, _, rest = text.strip().partition(" ")
    kind = parse_kind(word)
    if kind is None:
        raise BadInput("retention_kind_unknown", given=word)
    if not rest.strip():
        raise BadInput("retention_months_missing", kind=kind.value, least=RULES[kind].least,
                       most=RULES[kind].most)
    return kind, parse_months(rest, kind)


def schedule(defaults: Mapping[Kind, int], overrides: Mapping[str, int]) -> dict[Kind, int]:
    """A group's months per kind: its own settings over the deployment's defaults."""
    return {k: overrides.get(k.value, defaults.get(k, RULES[k].default)) for k in Kind}


def cutoff(now: datetime, months: int) -> datetime:
    """Records older than this are past their time: `months` calendar months before `now`."""
    return now - relativedelta(months=months)


def check_defaults(values: Mapping[Kind, int]) -> None:
    """Deployment-wide defaults (environment) must lie within the same bounds as a chair's settings."""
    for kind, months in values.items():
        rule = RULES[kind]
        if not rule.least <= months <= rule.most:
            raise ValueError(f"RETENTION_{kind.value.upper()}_MONTHS must be between {rule.least} and {rule.most}")
