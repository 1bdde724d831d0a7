"""What the minutes of a meeting say, as plain values: built by the minutes service, rendered by
handlers/blocks/minutes.py (Slack) and templates/minutes.md.j2 (the Markdown file)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    name: str
    organisation: str | None = None


@dataclass(frozen=True)
class Said:
    """One thing someone said, attributed by name."""

    name: str
    text: str


@dataclass(frozen=True)
class ThemeMinutes:
    name: str
    description: str
    working_well: tuple[Said, ...] = ()
    at_its_best: tuple[Said, ...] = ()


@dataclass(frozen=True)
class ActionMinutes:
    ref: str  # e.g. "A-12"
    description: str
    owner: str
    agency: str | None = None
    due: str | None = None  # already formatted in the group's time zone, e.g. "Fri 30 January 2027"
    theme: str | None = None
    prerequisites: str | None = None
    volunteer: str | None = None  # who will invite the agency, when it is not in the group
    agency_in_group: bool = True


@dataclass(frozen=True)
class UpdateMinutes:
    """One report on an action: when (already formatted), who, the status it set, and the note."""

    date: str
    name: str
    status: str  # the status word, e.g. "in-progress"
    note: str | None = None


@dataclass(frozen=True)
class ReportMinutes:
    """An action reported back on in a follow-up meeting (method step 14)."""

    ref: str
    description: str
    owner: str
    status: str  # where it stands at the end of the meeting
    updates: tuple[UpdateMinutes, ...] = ()  # since the last meeting
    comments: tuple[Said, ...] = ()  # said in the thread of its card


@dataclass(frozen=True)
class FeedbackMinutes:
    name: str
    attended: bool
    feeling: str | None = None
    takeaway: str | None = None
    rating: int | None = None  # 1-5


@dataclass(frozen=True)
class MinutesData:
    group: str
    number: int
    date: str  # "Monday 23 November 2026", in the group's time zone
    started: str  # "10:00"
    ended: str | None
    attended: tuple[Person, ...] = ()
    apologies: tuple[Person, ...] = ()  # members who sent apologies
    absent: tuple[Person, ...] = ()  # other members expected, who neither came nor sent apologies
    rules_version: int | None = None
    rules: tuple[str, ...] = ()
    agreement_version: int | None = None
    signed: tuple[str, ...] = ()
    not_signed: tuple[str, ...] = ()
    reports: tuple[ReportMinutes, ...] = ()  # follow-up meetings: the report back on earlier actions
    report_comments: tuple[Said, ...] = ()  # said in the thread of the report-back stage card
    themes: tuple[ThemeMinutes, ...] = ()
    actions: tuple[ActionMinutes, ...] = ()
    feedback: tuple[FeedbackMinutes, ...] = ()
    next_meeting: str | None = None
    # Feedback is shown without names unless the group chose names, or this is the chairs' own copy.
    feedback_named: bool = False
    chairs_copy: bool = False
    extra: dict[str, str] = field(default_factory=dict)
