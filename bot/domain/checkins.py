"""Weekly check-in values handed from services to handlers, and the digest's recurring themes."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_ANSWER = 3000  # Slack's plain_text_input limit: the most a modal field can hold

STOPWORDS = frozenset("""
a about after again all also am an and any are as at be been before being both but by can could did do does
doing done down each even every few for from get got had has have having he her here him his how i if in into
is it its just last let like made make many may me more most much my need needs new no not now of off on once
one only or other our out over own same she should so some still such than that the their them then there these
they this those through to too under until up us very was we week weeks well were what when where which while who
why will with would yet you your going good really things thing lot lots working work worked better help""".split())
_WORD = re.compile(r"[a-z][a-z'-]{2,}")


@dataclass(frozen=True)
class Answer:
    user_id: str
    question: str
    text: str
    chair_only: bool


@dataclass(frozen=True)
class ScheduleInfo:
    group: str
    weekday: int
    at: str
    timezone: str
    paused: bool
    next_send: datetime | None
    reminder_hours: int
    digest_hours: int


@dataclass(frozen=True)
class CheckinForm:
    group_id: int
    group: str
    week: date
    current: dict[str, tuple[str, bool]]  # question key -> (text, chair only): what they sent this week
    answered_at: datetime | None
    last_week: dict[str, str]  # question key -> text, from their latest earlier answer
    shared: bool = False  # the group posts a summary (counts, recurring topics) in its channel


@dataclass(frozen=True)
class Saved:
    group: str
    week: date
    edited: bool
    new: bool


@dataclass(frozen=True)
class WeekStatus:
    group: str
    week: date
    opened: bool
    answered: tuple[str, ...]
    missing: tuple[str, ...]
    away: tuple[str, ...]
    next_send: datetime | None
    timezone: str


@dataclass(frozen=True)
class DeliveryJob:
    """One message for the scheduler to send: `uncertain` if an earlier claim may have sent it already."""

    id: int
    kind: str
    user_id: str
    group_id: int
    group: str
    week: date
    uncertain: bool
    closes_at: datetime | None = None
    timezone: str = "Europe/London"
    attempt: int = 0  # the claim this job was taken under (bot/services/deliveries.py): it fences the send
    shared: bool = False  # the group posts a check-in summary in its channel: the DM says so


@dataclass(frozen=True)
class Digest:
    group: str
    week: date
    for_chairs: bool
    answered: tuple[str, ...]
    missing: tuple[str, ...]
    away: tuple[str, ...]
    answers: tuple[Answer, ...] = field(default=())
    themes: tuple[str, ...] = field(default=())
    shared: bool = False  # the group also gets a ChannelSummary in its channel

    @property
    def total(self) -> int:
        return len(self.answered) + len(self.missing)


@dataclass(frozen=True)
class ChannelSummary:
    """What the group's channel may see of a week's check-in, when the group chose it: counts and the
    topics more than one manager raised (from answers not marked for the chairs only). No names, no
    answers, nothing about who did not answer: the values hold none, so no renderer can show them."""

    group: str
    week: date
    answered: int
    total: int
    themes: tuple[str, ...] = field(default=())


def recurring_themes(texts_by_person: dict[str, list[str]], limit: int = 8) -> tuple[str, ...]:
    """Words and two-word phrases that more than one person used, most widespread first.

    Counting people rather than mentions keeps one long answer from making a theme on its own.
    """
    people: Counter[str] = Counter()
    for texts in texts_by_person.values():
        terms: set[str] = set()
        for text in texts:
            words = _WORD.findall(text.lower())
            kept = [w.strip("'-") for w in words]
            terms |= {w for w in kept if w not in STOPWORDS and len(w) > 3}
            terms |= {f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)
                      if a not in STOPWORDS and b not in STOPWORDS}
        people.update(terms)
    found = [t for t, n in people.items() if n > 1]
    # A phrase makes its own words redundant when they are shared by the same people.
    phrases = [t for t in found if " " in t]
    single = [t for t in found if " " not in t and not any(t in p.split() and people[p] == people[t] for p in phrases)]
    ordered = sorted(phrases + single, key=lambda t: (-people[t], -len(t.split()), t))
    return tuple(ordered[:limit])
