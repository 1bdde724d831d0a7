"""The self-assessment's shape (templates/assessment.yml) and the values handed from services to handlers.

Levels run from 1 (a start) to 4 (the whole home works this way). An answer per theme is
{"level": 1-4 | None, "evidence": str, "who": str}; a theme is done when all three are there, and an
assessment is complete when every theme of its set is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

LEVELS = 4
MAX_TEXT = 3000  # Slack's plain_text_input limit


@dataclass(frozen=True)
class Level:
    label: str
    detail: str


@dataclass(frozen=True)
class Scale:
    """One theme set's themes, each with its four levels, and the two follow-up questions."""

    set_key: str
    evidence: str
    who: str
    themes: tuple[tuple[str, tuple[Level, ...]], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.themes)


def parse_scale(raw: dict[str, Any], set_key: str) -> Scale:
    """The scale for a theme set from the file's mapping: the set's own entry, else the default set's."""
    sets = raw["sets"]
    key = set_key if set_key in sets else raw["default_set"]
    themes = tuple((str(name), tuple(Level(str(lv["label"]), str(lv["detail"])) for lv in levels))
                   for name, levels in sets[key].items())
    if any(len(levels) != LEVELS for _, levels in themes):
        raise ValueError(f"assessment.yml: every theme of {key} needs {LEVELS} levels")
    return Scale(key, str(raw["questions"]["evidence"]), str(raw["questions"]["who"]), themes)


def theme_done(answer: dict[str, Any] | None) -> bool:
    a = answer or {}
    return bool(a.get("level")) and bool(str(a.get("evidence") or "").strip()) and bool(str(a.get("who") or "").strip())


def done_count(answers: dict[str, Any], names: tuple[str, ...]) -> int:
    return sum(theme_done(answers.get(name)) for name in names)


@dataclass(frozen=True)
class AssessmentForm:
    group_id: int
    group: str
    home: str
    set_key: str
    answers: dict[str, Any]
    round_id: int | None
    last_completed: datetime | None  # the home's previous completed assessment, if any
    timezone: str = "UTC"


@dataclass(frozen=True)
class Saved:
    group: str
    home: str
    complete: bool
    done: int
    total: int
    assessment_id: int | None = None


@dataclass(frozen=True)
class RoundOpened:
    group: str
    invited: int
    remind_at: datetime


@dataclass(frozen=True)
class AssessmentJob:
    """An invitation or reminder DM to a manager: `uncertain` if an earlier claim may have sent it."""

    id: int
    kind: str
    to: str
    group_id: int
    group: str
    round_id: int
    uncertain: bool
    attempt: int = 0


# The forward plan's questions, in the template's order; the text of each is in templates/assessment.yml.
PLAN_QUESTIONS = ("achieve", "why_now", "first_step", "lead", "involved", "in_3_months", "complete", "informed")
PLAN_REQUIRED = ("achieve", "first_step", "in_3_months")
CHECK_MONTHS = 3
SEEN = ("yes", "partly", "not_yet")


def months_later(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day (31 January -> 30 April)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in range(day.day, 27, -1):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


@dataclass(frozen=True)
class PlanForm:
    assessment_id: int
    group: str
    home: str
    themes: tuple[tuple[str, int | None], ...]  # each theme with the level the assessment gave it
    user_id: str


@dataclass(frozen=True)
class FirstStep:
    owner_id: str
    due: date


@dataclass(frozen=True)
class PlanSaved:
    plan_id: int
    group: str
    theme: str
    check_on: date
    action_ref: str | None  # "A-12" when the first step became an action


@dataclass(frozen=True)
class PlanCheckJob:
    id: int
    kind: str
    to: str
    group_id: int
    group: str
    plan_id: int
    theme: str
    expected: str
    uncertain: bool
    attempt: int = 0


@dataclass(frozen=True)
class HomeLevels:
    """One completed assessment: the home, the day, and its level per theme (in the progress' theme order)."""

    home: str
    on: date
    levels: tuple[int | None, ...]


@dataclass(frozen=True)
class Progress:
    group: str
    themes: tuple[str, ...]
    assessments: tuple[HomeLevels, ...]  # oldest first; for a manager, their home's only
    spread: tuple[tuple[int, ...], ...]  # per theme: how many homes (latest assessment each) at levels 1..4
    whole_group: bool  # a chair's view (every home, named) or a manager's (their home)


def spread(latest: list[HomeLevels], themes: int) -> tuple[tuple[int, ...], ...]:
    """Per theme, how many homes' latest assessments sit at each level 1..4."""
    return tuple(tuple(sum(1 for h in latest if h.levels[t] == lv) for lv in range(1, LEVELS + 1))
                 for t in range(themes))
