"""The meeting's stages as data, and the transition table over them.

A stage is a row in STAGES; adding one (themes, actions, feedback, close, report back) means adding a
row and its words in templates/stages.yml. Which stages a meeting runs depends on whether it is the
group's first meeting or a follow-up (the method's step 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import BadInput


class StageKey(StrEnum):
    CHECK_IN = "check_in"
    GROUND_RULES = "ground_rules"
    AGREEMENT = "agreement"
    REPORT_BACK = "report_back"
    THEMES = "themes"
    ACTIONS = "actions"
    FEEDBACK = "feedback"
    CLOSE = "close"


class ExitGuard(StrEnum):
    """What the chair is asked to settle before `next` leaves a stage (`skip` leaves regardless)."""

    NONE = "none"
    RULES_ADOPTED = "rules_adopted"
    AGREEMENT_PUBLISHED = "agreement_published"


@dataclass(frozen=True)
class Stage:
    key: StageKey
    method_step: int | None  # the My Home Life method's step; None for the bot's own closing stage
    first_meeting: bool
    follow_up: bool
    exit_guard: ExitGuard
    aliases: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage(StageKey.CHECK_IN, 8, True, True, ExitGuard.NONE, ("welcome", "check-in", "checkin", "check in")),
    Stage(StageKey.GROUND_RULES, 9, True, True, ExitGuard.RULES_ADOPTED, ("ground rules", "rules")),
    Stage(
        StageKey.AGREEMENT, 10, True, True, ExitGuard.AGREEMENT_PUBLISHED,
        ("agreement", "partnership agreement", "partnership"),
    ),
    Stage(
        StageKey.REPORT_BACK, 14, False, True, ExitGuard.NONE,
        ("report back", "report-back", "reports", "report", "progress"),
    ),
    Stage(StageKey.THEMES, 11, True, True, ExitGuard.NONE, ("themes", "theme", "vision")),
    Stage(StageKey.ACTIONS, 12, True, True, ExitGuard.NONE, ("actions", "action", "link to action")),
    Stage(StageKey.FEEDBACK, 13, True, True, ExitGuard.NONE, ("feedback",)),
    Stage(StageKey.CLOSE, None, True, True, ExitGuard.NONE, ("close", "end", "minutes")),
)

# Each theme is taken in two passes (method step 11): first what works, then the vision.
QUESTIONS: tuple[str, ...] = ("working_well", "at_its_best")


def theme_steps(themes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """The (theme, question) walk of the themes stage, in order."""
    return [(theme, question) for theme in themes for question in QUESTIONS]


def plan(follow_up: bool) -> tuple[Stage, ...]:
    """The stages a meeting runs, in order."""
    return tuple(s for s in STAGES if (s.follow_up if follow_up else s.first_meeting))


def stage(key: str) -> Stage:
    return next(s for s in STAGES if s.key == key)


def position(stages: tuple[Stage, ...], key: str) -> int:
    return next(i for i, s in enumerate(stages) if s.key == key)


def following(stages: tuple[Stage, ...], key: str) -> Stage | None:
    i = position(stages, key)
    return stages[i + 1] if i + 1 < len(stages) else None


def preceding(stages: tuple[Stage, ...], key: str) -> Stage | None:
    i = position(stages, key)
    return stages[i - 1] if i > 0 else None


def find(stages: tuple[Stage, ...], text: str) -> Stage:
    """A stage by number (1-based in this meeting's plan), key or alias; forgiving about case."""
    word = " ".join(text.strip().lower().replace("_", " ").split())
    if word.isdigit() and 1 <= int(word) <= len(stages):
        return stages[int(word) - 1]
    for s in stages:
        if word in (s.key.replace("_", " "), *s.aliases):
            return s
    raise BadInput("unknown_stage", given=text.strip(), stages=[s.key.value for s in stages])


@dataclass(frozen=True)
class Slot:
    """Where a card sits: a stage, for the themes stage a theme and a question, and for the report-back
    stage optionally the action a card asks about (one card per open action, besides the stage card)."""

    stage: str
    theme: str | None = None
    question: str | None = None
    action_id: int | None = None


def theme_slot(themes: tuple[str, ...] | list[str], step: int) -> Slot:
    steps = theme_steps(themes)
    theme, question = steps[min(step, len(steps) - 1)] if steps else (None, None)
    return Slot(StageKey.THEMES.value, theme, question)
