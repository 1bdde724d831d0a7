"""Builds the StageState a stage card shows, from what the database holds for a meeting."""

from __future__ import annotations

from collections import defaultdict

from bot.domain import stages
from bot.domain.action_status import Status
from bot.domain.roles import Role
from bot.domain.snapshots import (
    ActionSnap,
    AgreementSnap,
    ContributionSnap,
    ReportItem,
    RulesSnap,
    StageState,
    UpdateSnap,
)
from bot.domain.stages import Slot, StageKey
from bot.services.assessment_progress import theme_levels
from bot.services.common import group_snap, meeting_snap
from storage.models import (
    Action,
    ActionUpdate,
    AgreementVersion,
    Contribution,
    GroundRulesVersion,
    Meeting,
    StageCard,
)
from storage.uow import UnitOfWork


def current_slot(meeting: Meeting) -> Slot:
    if meeting.stage == StageKey.THEMES:
        return stages.theme_slot(meeting.themes or [], meeting.theme_step)
    return Slot(meeting.stage)


def slot_of(card: StageCard) -> Slot:
    return Slot(card.stage, card.theme, card.question, card.action_id)


def stage_state(uow: UnitOfWork, meeting: Meeting, slot: Slot | str | None = None) -> StageState:
    if slot is None:
        slot = current_slot(meeting)
    elif isinstance(slot, str):
        slot = current_slot(meeting) if slot == meeting.stage else Slot(slot)
    group = uow.groups.get(meeting.group_id)
    assert group is not None
    plan = stages.plan(meeting.is_follow_up)
    rules = uow.agreements.rules(group.id)
    agreement = uow.agreements.current(group.id)
    attendance = uow.meetings.attendance(meeting.id)
    present = tuple(a.user_id for a in attendance if a.status == "present")
    themes = list(meeting.themes or [])
    said = uow.contributions.for_stage(meeting.id, slot.stage)
    if slot.stage == StageKey.THEMES:
        said = [c for c in said if (c.theme, c.question) == (slot.theme, slot.question)]
    elif slot.stage == StageKey.REPORT_BACK:
        said = [c for c in said if (c.details or {}).get("action_id") == slot.action_id]
    return StageState(
        group=group_snap(uow, group),
        meeting=meeting_snap(meeting),
        stage=slot.stage,
        index=stages.position(plan, slot.stage) + 1,
        total=len(plan),
        contributions=tuple(contribution_snap(c) for c in said),
        present=present,
        apologies=tuple(a.user_id for a in attendance if a.status == "apologies"),
        rules=rules_snap(rules) if rules else None,
        rules_adopted_here=bool(rules and rules.meeting_id == meeting.id),
        agreement=agreement_snap(uow, agreement) if agreement else None,
        agreement_published_here=bool(agreement and agreement.meeting_id == meeting.id),
        theme=slot.theme,
        question=slot.question,
        theme_index=themes.index(slot.theme) + 1 if slot.theme in themes else 0,
        theme_total=len(themes),
        actions=tuple(action_snap(a) for a in uow.actions.for_meeting(meeting.id))
        if slot.stage == StageKey.ACTIONS else (),
        next_meeting_at=group.next_meeting_at,
        report_items=report_items(uow, meeting) if slot.stage == StageKey.REPORT_BACK else (),
        action_id=slot.action_id,
        extra={"levels": levels} if slot.stage == StageKey.THEMES and (
            levels := theme_levels(uow, group, slot.theme)) else {},
    )


def report_items(uow: UnitOfWork, meeting: Meeting) -> tuple[ReportItem, ...]:
    """The actions a follow-up meeting reports back on, each with its updates since the last meeting.

    Listed: actions agreed before this meeting that were still open when it started, and any that were
    closed (done, dropped) since the last meeting, so the group hears about those too. An update counts
    from the end of the previous meeting to the end of this one (an owner may have reported already
    with `/actions`); `reported` says whether there is one.
    """
    previous = uow.meetings.by_number(meeting.group_id, meeting.number - 1)
    since = (previous.ended_at or previous.started_at) if previous else None
    until = meeting.ended_at
    by_action: defaultdict[int, list[ActionUpdate]] = defaultdict(list)
    for u in uow.actions.group_updates(meeting.group_id):
        by_action[u.action_id].append(u)
    items = []
    for a in uow.actions.for_group(meeting.group_id):
        if a.meeting_id == meeting.id or a.created_at >= meeting.started_at:
            continue
        history = by_action[a.id]
        recent = [u for u in history if (since is None or u.at >= since) and (until is None or u.at <= until)]
        at_start = next((u.old_status for u in history if u.at >= meeting.started_at), a.status)
        if Status(at_start).open or recent:
            items.append(ReportItem(action_snap(a), tuple(update_snap(u) for u in recent)))
    return tuple(items)


def contribution_snap(c: Contribution) -> ContributionSnap:
    return ContributionSnap(c.id, c.stage, c.user_id, c.text, c.source, c.created_at)


def action_snap(a: Action) -> ActionSnap:
    return ActionSnap(a.id, a.number, a.group_id, a.meeting_id, a.description, a.owner_id, a.theme, a.agency,
                      a.agency_in_group, a.volunteer_id, a.prerequisites, a.due_date, a.status, a.objective,
                      a.milestone, a.target_text, tuple(a.responsible_users or ()), a.responsible_text,
                      a.merged_into)


def update_snap(u: ActionUpdate) -> UpdateSnap:
    return UpdateSnap(u.author, u.old_status, u.new_status, u.note, u.at)


def rules_snap(r: GroundRulesVersion) -> RulesSnap:
    return RulesSnap(r.version, tuple(r.rules), r.adopted_by, r.adopted_at)


def agreement_snap(uow: UnitOfWork, a: AgreementVersion) -> AgreementSnap:
    """The version with who signed it and which expected signers have not (yet)."""
    signed = tuple((s.user_id, s.signed_at) for s in uow.agreements.signatures(a.id))
    signed_ids = {u for u, _ in signed}
    unsigned = tuple(m.user_id for m in uow.groups.members(a.group_id)
                     if Role(m.role).expected_to_sign and m.user_id not in signed_ids)
    current = uow.agreements.current(a.group_id)
    newer = current.version if current is not None and current.version != a.version else None
    return AgreementSnap(a.id, a.version, a.text, a.published_by, a.published_at, a.channel_id, a.message_ts,
                         signed, unsigned, newer)
