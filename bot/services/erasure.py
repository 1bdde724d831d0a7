"""Erasure (`/group forget @person`, `/group forget me`): one person's words and name out of one group.

Choices made:
- A chair or co-chair may forget anyone in their group; anyone may forget themselves, confirming it
  themselves, with no chair's say-so (it is their right, and a chair could not refuse it anyway); both
  are audited. The group's only chair cannot be forgotten until the chair is handed on (`/group role`),
  or the group would be left with nobody to run it.
- What goes: their free text (contributions of every stage, theme answers, feedback, check-in words,
  notes on action updates, check-in answers and every version of them, organisation), their requests
  still in the inbox, their away periods, and their Slack id, which a pseudonym replaces in every row of
  the group (bot/domain/erased.py). Their self-assessments keep their levels (the group's spread over
  time stays true) under the pseudonym, without their evidence, names or forward plans' words. The
  actions they wrote stay in the plan (owner, status, dates) with
  their words replaced by a note that they were removed. What stays, attributed to "a former member":
  that they attended, signed, adopted or published; the actions they owned (unassigned: a chair reports
  on them); the text of ground rules and agreements, which the group adopted and signed as its own
  documents (a rule adopted word for word from their proposal stays in the rules, unattributed).
- Other groups are untouched. The stored minutes are first scrubbed of their words in the same
  transaction, then rendered again from the erased record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.erased import pseudonym
from bot.domain.errors import DomainError
from bot.domain.minutes import MinutesData
from bot.domain.roles import Role
from bot.services import minutes
from bot.services.common import require_chair, require_group
from storage.inbox import current_ticket
from storage.models import Group, Member
from storage.uow import UnitOfWork

ACTION = "member.forget"


@dataclass(frozen=True)
class ErasurePlan:
    group_id: int
    group: str
    target: str
    own: bool
    counts: dict[str, int]
    other_groups: int


@dataclass(frozen=True)
class Erased:
    group: str
    records: int
    minutes: int
    own: bool


def plan_erasure(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                 target: str) -> ErasurePlan:
    """What forgetting `target` in the channel's group would remove (for the confirmation); changes nothing."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        _erasable(uow, clock, group, actor, target)
        others = len(uow.groups.for_user(team_id, target)) - 1
        return ErasurePlan(group.id, group.name, target, actor == target, uow.erasure.counts(group.id, target),
                           others)


def erase_member(uow: UnitOfWork, clock: Clock, *, group_id: int, actor: str, target: str, former: str,
                 removed: str, descriptions: Mapping[str, str], render: Callable[[MinutesData], str]) -> Erased:
    """Forget `target` in the group (checked again: the confirmation may be stale), audited without text."""
    now = clock.now()
    with uow:
        group = uow.groups.get(group_id)
        if group is None:
            raise DomainError("no_group")
        member = _erasable(uow, clock, group, actor, target)
        counts = uow.erasure.counts(group.id, target)
        alias = pseudonym(member.id)
        stored = uow.erasure.scrub_minutes(group.id, uow.erasure.texts(group.id, target), "")
        records = uow.erasure.erase(group.id, member, alias, former, removed, now)
        records += uow.assessments.erase(group.id, target, alias, former)  # self-assessments and plans
        ticket = current_ticket.get()
        records += uow.erasure.pending_requests(group.channel_id, target, ticket.inbox_id if ticket else None, now)
        meeting_ids = [m.meeting_id for m in uow.erasure.stored_minutes(group.id)]
        own = actor == target
        # Forgetting oneself must not leave one's id in the entry that records it.
        uow.audit.record(now, alias if own else actor, ACTION, "ok", group.id, member=alias, own=own,
                         records=records, minutes=stored, **counts)
        uow.commit()
        name = group.name
    for meeting_id in meeting_ids:
        markdown = render(minutes.minutes_data(uow, meeting_id=meeting_id, descriptions=descriptions))
        with uow:
            uow.erasure.replace_minutes(meeting_id, markdown)
            uow.commit()
    return Erased(name, records, len(meeting_ids), own)


def _erasable(uow: UnitOfWork, clock: Clock, group: Group, actor: str, target: str) -> Member:
    if actor != target:
        require_chair(uow, group, actor, ACTION, clock.now())
    member = uow.groups.member(group.id, target)
    if member is None:
        raise DomainError("forget_not_member", user=target, own=actor == target)
    chairs = [m for m in uow.groups.members(group.id) if Role(m.role) is Role.CHAIR]
    if member.role == Role.CHAIR.value and len(chairs) == 1:
        raise DomainError("forget_only_chair", own=actor == target)
    return member
