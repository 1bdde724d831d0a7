"""Frozen snapshots that services hand to handlers: plain values, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.erased import mention
from bot.domain.roles import Role


@dataclass(frozen=True)
class MemberSnap:
    user_id: str
    role: Role
    organisation: str | None = None
    display_name: str | None = None

    @property
    def label(self) -> str:
        """How mrkdwn shows the member: their name as Slack gave it (escaped: people choose their own names,
        "<!channel>" included), or their mention."""
        if self.display_name:
            return self.display_name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return mention(self.user_id)


@dataclass(frozen=True)
class GroupSnap:
    id: int
    team_id: str
    channel_id: str
    name: str
    theme_set: str
    timezone: str
    members: tuple[MemberSnap, ...] = ()
    # The group's privacy settings (storage/models/group.py): what its cards and forms say depends on them.
    share_checkin: bool = False
    name_feedback: bool = False

    def with_role(self, *roles: Role) -> tuple[MemberSnap, ...]:
        return tuple(m for m in self.members if m.role in roles)

    @property
    def chairs(self) -> tuple[MemberSnap, ...]:
        return self.with_role(Role.CHAIR, Role.CO_CHAIR)

    def member(self, user_id: str) -> MemberSnap | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def name_of(self, user_id: str) -> str:
        m = self.member(user_id)
        return m.label if m else mention(user_id)


@dataclass(frozen=True)
class MeetingSnap:
    id: int
    group_id: int
    number: int
    status: str
    stage: str
    is_follow_up: bool
    started_at: datetime
    ended_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.status == "running"


@dataclass(frozen=True)
class ContributionSnap:
    id: int
    stage: str
    user_id: str
    text: str
    source: str
    created_at: datetime


@dataclass(frozen=True)
class RulesSnap:
    version: int
    rules: tuple[str, ...]
    adopted_by: str
    adopted_at: datetime


@dataclass(frozen=True)
class AgreementSnap:
    id: int
    version: int
    text: str
    published_by: str
    published_at: datetime
    channel_id: str | None
    message_ts: str | None
    signed: tuple[tuple[str, datetime], ...] = ()  # (user_id, signed_at) in signing order
    unsigned: tuple[str, ...] = ()  # members expected to sign who have not
    superseded_by: int | None = None  # the newer version number, if any


@dataclass(frozen=True)
class ActionSnap:
    id: int
    number: int
    group_id: int
    meeting_id: int | None
    description: str
    owner_id: str
    theme: str | None = None
    agency: str | None = None
    agency_in_group: bool = True
    volunteer_id: str | None = None
    prerequisites: str | None = None
    due_date: date | None = None
    status: str = "not-started"
    # Kept up to date by /actions edit; see storage/models/action.py.
    objective: str | None = None
    milestone: str | None = None
    target_text: str | None = None
    responsible_users: tuple[str, ...] = ()
    responsible_text: str | None = None
    merged_into: int | None = None  # the id of the action this one was merged into

    @property
    def ref(self) -> str:
        return f"A-{self.number}"


@dataclass(frozen=True)
class EditSnap:
    """A change to an action's plan: `changes` maps a field to (before, after) as plain text."""

    author: str
    kind: str
    changes: tuple[tuple[str, str | None, str | None], ...]
    at: datetime


@dataclass(frozen=True)
class UpdateSnap:
    """A report back on an action (author, status change, note), kept forever."""

    author: str
    old_status: str
    new_status: str
    note: str | None
    at: datetime


@dataclass(frozen=True)
class ReportItem:
    """An action up for report back in a follow-up meeting, with the updates since the last meeting."""

    action: ActionSnap
    updates: tuple[UpdateSnap, ...] = ()

    @property
    def reported(self) -> bool:
        return bool(self.updates)

    @property
    def reporters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u.author for u in self.updates))


@dataclass(frozen=True)
class StageState:
    """Everything a stage card shows: the meeting, the group, and what the stage has gathered."""

    group: GroupSnap
    meeting: MeetingSnap
    stage: str
    index: int  # 1-based position in this meeting's plan
    total: int
    contributions: tuple[ContributionSnap, ...] = ()
    present: tuple[str, ...] = ()
    apologies: tuple[str, ...] = ()
    rules: RulesSnap | None = None  # in force (adopted in this meeting or earlier)
    rules_adopted_here: bool = False
    agreement: AgreementSnap | None = None
    agreement_published_here: bool = False
    theme: str | None = None  # themes stage: the theme and question this card asks about
    question: str | None = None
    theme_index: int = 0  # 1-based position of the theme among the meeting's themes
    theme_total: int = 0
    actions: tuple[ActionSnap, ...] = ()  # actions stage: those agreed in this meeting
    next_meeting_at: datetime | None = None  # the group's next meeting, as scheduled (UTC)
    report_items: tuple[ReportItem, ...] = ()  # report-back stage: the actions to report on
    action_id: int | None = None  # a report-back card about one action (None: the stage card)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def contributors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.user_id for c in self.contributions))

    @property
    def report_item(self) -> ReportItem | None:
        """The action this card is about, on a report-back action card."""
        return next((i for i in self.report_items if i.action.id == self.action_id), None)
