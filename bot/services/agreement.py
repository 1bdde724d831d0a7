"""Ground rules adopted as versions; the partnership agreement published as versions and signed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError
from bot.domain.snapshots import AgreementSnap, GroupSnap, RulesSnap, StageState
from bot.domain.stages import StageKey
from bot.services.common import ensure_member, group_snap, require_chair
from bot.services.contributions import MAX_TEXT
from bot.services.stage_state import agreement_snap, rules_snap, stage_state
from storage.models import AgreementVersion, GroundRulesVersion, Meeting, Signature
from storage.uow import UnitOfWork

MAX_RULES = 30
MAX_RULE = 300
VERSION_TRIES = 5


@dataclass(frozen=True)
class Adopted:
    rules: RulesSnap
    state: StageState
    new: bool


@dataclass(frozen=True)
class Published:
    agreement: AgreementSnap
    state: StageState
    new: bool


@dataclass(frozen=True)
class Signed:
    agreement: AgreementSnap
    group: GroupSnap
    new: bool


def parse_rules(text: str) -> list[str]:
    """One rule a line; bullets and numbering typed by the chair are dropped."""
    rules = [line.strip().lstrip("•*-–0123456789.) ").strip() for line in text.splitlines()]
    rules = [r for r in rules if r]
    if not rules:
        raise BadInput("rules_empty")
    if len(rules) > MAX_RULES:
        raise BadInput("rules_too_many", count=len(rules), limit=MAX_RULES)
    if any(len(r) > MAX_RULE for r in rules):
        raise BadInput("rule_too_long", limit=MAX_RULE)
    return rules


@dataclass(frozen=True)
class Draft:
    items: list[str]
    next_version: int
    current_text: str | None = None  # the agreement in force, which an amendment starts from


def draft(uow: UnitOfWork, clock: Clock, *, meeting_id: int, stage: str, actor: str) -> Draft:
    """What the chair's write-up modal starts from: the stage's contributions (chairs only)."""
    with uow:
        meeting = _running(uow, meeting_id)
        group = uow.groups.get(meeting.group_id)
        assert group is not None
        require_chair(uow, group, actor, f"{stage}.draft", clock.now())
        state = stage_state(uow, meeting, stage)
        items = [c.text for c in state.contributions]
        if stage == StageKey.GROUND_RULES:
            if state.rules is not None and meeting.is_follow_up:
                items = list(state.rules.rules) + items
            return Draft(list(dict.fromkeys(items)), (state.rules.version if state.rules else 0) + 1)
        current = state.agreement
        return Draft(list(dict.fromkeys(items)), (current.version if current else 0) + 1,
                     current.text if current else None)


def adopt_rules(uow: UnitOfWork, clock: Clock, *, meeting_id: int, actor: str, rules: list[str],
                request_key: str) -> Adopted:
    """The chair adopts a set of rules: the group's next ground-rules version."""
    now = clock.now()
    with uow:
        meeting = _running(uow, meeting_id)
        group = uow.groups.get(meeting.group_id)
        assert group is not None
        require_chair(uow, group, actor, "rules.adopt", now)
        if not uow.processed.claim(request_key, now):
            return _already_adopted(uow, meeting)
        row = _next_version(uow, lambda v: GroundRulesVersion(group_id=group.id, version=v, rules=rules,
                                                             meeting_id=meeting.id, adopted_by=actor, adopted_at=now),
                            uow.agreements.rules, group.id)
        uow.audit.record(now, actor, "rules.adopt", "ok", group.id, version=row.version, count=len(rules))
        uow.commit()
        return Adopted(rules_snap(row), stage_state(uow, meeting, StageKey.GROUND_RULES), True)


def publish_agreement(uow: UnitOfWork, clock: Clock, *, meeting_id: int, actor: str, text: str,
                      request_key: str) -> Published:
    """The chair publishes the written-up agreement as the group's next version; it needs signing anew."""
    now = clock.now()
    cleaned = text.strip()
    if not cleaned:
        raise BadInput("agreement_empty")
    if len(cleaned) > MAX_TEXT:
        raise BadInput("contribution_too_long", length=len(cleaned), limit=MAX_TEXT)
    with uow:
        meeting = _running(uow, meeting_id)
        group = uow.groups.get(meeting.group_id)
        assert group is not None
        require_chair(uow, group, actor, "agreement.publish", now)
        if not uow.processed.claim(request_key, now):
            return _already_published(uow, meeting)
        row = _next_version(uow, lambda v: AgreementVersion(group_id=group.id, version=v, text=cleaned,
                                                           meeting_id=meeting.id, published_by=actor,
                                                           published_at=now, channel_id=None, message_ts=None),
                            uow.agreements.current, group.id)
        uow.audit.record(now, actor, "agreement.publish", "ok", group.id, version=row.version)
        uow.commit()
        return Published(agreement_snap(uow, row), stage_state(uow, meeting, StageKey.AGREEMENT), True)


def agreement_posted(uow: UnitOfWork, version_id: int, channel_id: str, ts: str) -> None:
    with uow:
        uow.agreements.set_posted(version_id, channel_id, ts)
        uow.commit()


def sign_agreement(uow: UnitOfWork, clock: Clock, *, version_id: int, user_id: str) -> Signed:
    """Record a signature, once per person per version; a superseded version cannot be signed."""
    now = clock.now()
    with uow:
        row = uow.agreements.get(version_id)
        if row is None:
            raise DomainError("agreement_unknown")
        snap = agreement_snap(uow, row)
        if snap.superseded_by is not None:
            raise DomainError("agreement_superseded", version=row.version, current=snap.superseded_by)
        group = uow.groups.get(row.group_id)
        assert group is not None
        if any(u == user_id for u, _ in snap.signed):
            return Signed(snap, group_snap(uow, group), False)
        ensure_member(uow, group, user_id, now)
        if not uow.agreements.add_unique(Signature(agreement_version_id=row.id, user_id=user_id, signed_at=now)):
            return Signed(agreement_snap(uow, row), group_snap(uow, group), False)
        uow.audit.record(now, user_id, "agreement.sign", "ok", group.id, version=row.version)
        uow.commit()
        return Signed(agreement_snap(uow, row), group_snap(uow, group), True)


def _already_adopted(uow: UnitOfWork, meeting: Meeting) -> Adopted:
    """The same submission was handled already (a double submit, Slack's retry): say what it adopted.

    Read now, not before the claim: the claim waited for the other submission's commit, which is what
    makes the version it adopted visible here (a read made earlier may have found none)."""
    rules = uow.agreements.rules(meeting.group_id)
    if rules is None:  # the first copy is not committed yet after all: nothing to report, and no harm
        raise DomainError("duplicate_request")
    return Adopted(rules_snap(rules), stage_state(uow, meeting, StageKey.GROUND_RULES), False)


def _already_published(uow: UnitOfWork, meeting: Meeting) -> Published:
    """As `_already_adopted`, for the agreement."""
    current = uow.agreements.current(meeting.group_id)
    if current is None:
        raise DomainError("duplicate_request")
    return Published(agreement_snap(uow, current), stage_state(uow, meeting, StageKey.AGREEMENT), False)


Version = TypeVar("Version", GroundRulesVersion, AgreementVersion)


def _next_version(uow: UnitOfWork, make: Callable[[int], Version], latest: Callable[[int], Version | None],
                  group_id: int) -> Version:
    """Add the group's next version. Two different submissions at once (chair and co-chair) race for
    the number: the unique (group, version) constraint decides and the later one takes the next."""
    for _ in range(VERSION_TRIES):
        current = latest(group_id)
        row = make((current.version if current else 0) + 1)
        if uow.agreements.add_unique(row):
            return row
    raise DomainError("duplicate_request")


def _running(uow: UnitOfWork, meeting_id: int) -> Meeting:
    meeting = uow.meetings.get(meeting_id)
    if meeting is None:
        raise DomainError("no_meeting")
    if meeting.status != "running":
        raise DomainError("meeting_closed", number=meeting.number)
    return meeting
