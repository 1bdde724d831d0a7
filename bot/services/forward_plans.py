""""Take the challenge": a home's forward plan for one theme of its assessment, and its 3-month check.

The plan is stored with the assessment it came from. Its first step becomes an action in the group's
action plan when the manager ticks that (bot/services/actions.add_action, so it is numbered, audited and
reminded like any other). Its "in 3 months" becomes a delivery planned when the plan is saved, due at
09:00 on that day in the group's time zone: the deliveries' natural key sends it once, and the answer
is kept on the plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time

from bot.domain.assessment import (
    CHECK_MONTHS,
    MAX_TEXT,
    PLAN_QUESTIONS,
    PLAN_REQUIRED,
    SEEN,
    FirstStep,
    PlanCheckJob,
    PlanForm,
    PlanSaved,
    months_later,
)
from bot.domain.clock import Clock
from bot.domain.errors import BadInput, NotAllowed
from bot.domain.roles import Role
from bot.domain.weeks import send_moment, zone
from bot.services import actions, deliveries
from bot.services.actions import Added, NewAction
from storage.models import Assessment, Delivery, ForwardPlan, Group
from storage.uow import UnitOfWork

CHECK = "plan_check"
CHECK_AT = time(9, 0)


def _mine(uow: UnitOfWork, user_id: str, assessment_id: int | None, team_id: str) -> tuple[Group, Assessment]:
    """The manager's assessment named, or their latest completed one in any of their groups."""
    found: Assessment | None = None
    if assessment_id is not None:
        found = uow.session.get(Assessment, assessment_id)
    else:
        done = [a for g in uow.groups.for_user(team_id, user_id) for a in uow.assessments.completed(g.id)
                if a.user_id == user_id and a.completed_at is not None]
        found = max(done, key=lambda a: (a.completed_at, a.id)) if done else None
    group = uow.groups.get(found.group_id) if found is not None else None
    if found is None or group is None or found.user_id != user_id or found.completed_at is None:
        raise BadInput("plan_no_assessment")
    member = uow.groups.member(group.id, user_id)
    if member is None or member.role != Role.MANAGER.value:
        raise NotAllowed("assess_not_manager")
    return group, found


def plan_form(uow: UnitOfWork, clock: Clock, *, team_id: str, user_id: str,
              assessment_id: int | None = None) -> PlanForm:
    with uow:
        group, a = _mine(uow, user_id, assessment_id, team_id)
        themes = tuple((name, (answer or {}).get("level")) for name, answer in a.answers.items())
        return PlanForm(a.id, group.name, a.home, themes, user_id)


def save_plan(uow: UnitOfWork, clock: Clock, *, assessment_id: int, user_id: str, theme: str,
              answers: Mapping[str, str], first_step: FirstStep | None,
              catalogue: Mapping[str, Sequence[str]], request_key: str) -> PlanSaved:
    """Store the plan and plan its 3-month check; then, if asked, add its first step as an action."""
    now = clock.now()
    clean = {k: " ".join(str(answers.get(k) or "").split()) for k in PLAN_QUESTIONS}
    if missing := [k for k in PLAN_REQUIRED if not clean[k]]:
        raise BadInput("plan_missing", fields=missing)
    if any(len(v) > MAX_TEXT for v in clean.values()):
        raise BadInput("assess_too_long", limit=MAX_TEXT)
    with uow:
        group, a = _mine(uow, user_id, assessment_id, "")
        if theme not in a.answers:
            raise BadInput("plan_bad_theme", given=theme)
        today = now.astimezone(zone(group.timezone)).date()
        if first_step is not None and first_step.due <= today:
            raise BadInput("plan_due_past")
        check_on = months_later(today, CHECK_MONTHS)
        plan = uow.assessments.add(ForwardPlan(group_id=group.id, assessment_id=a.id, user_id=user_id, theme=theme,
                                               answers=clean, action_id=None, check_on=check_on,
                                               check_answer=None, checked_at=None, created_at=now))
        uow.deliveries.add_unique(Delivery(
            kind=CHECK, user_id=user_id, group_id=group.id, period=f"plan:{plan.id}", status="pending", attempts=0,
            next_attempt_at=send_moment(check_on, 0, CHECK_AT, group.timezone), created_at=now))
        uow.audit.record(now, user_id, "assess.plan", "ok", group.id, plan=plan.id, first_step=first_step is not None)
        uow.commit()
        plan_id, group_name, team_id, channel_id, theme_set = plan.id, group.name, group.team_id, group.channel_id, \
            group.theme_set
    ref = None
    if first_step is not None:
        known = theme if theme in catalogue.get(theme_set, ()) else None
        added = actions.add_action(uow, clock, team_id=team_id, channel_id=channel_id, actor=user_id,
                                   new=NewAction(clean["first_step"], first_step.owner_id, theme=known,
                                                 due=first_step.due.isoformat()),
                                   catalogue=catalogue, request_key=f"{request_key}:first_step", source="forward_plan",
                                   confirmed=frozenset({"owner"}))
        assert isinstance(added, Added)  # the owner is confirmed and the date checked above
        with uow:
            row = uow.session.get(ForwardPlan, plan_id)
            assert row is not None
            row.action_id = added.action.id
            uow.commit()
        ref = f"A-{added.action.number}"
    return PlanSaved(plan_id, group_name, theme, check_on, ref)


def claim_due(uow: UnitOfWork, clock: Clock, limit: int = 25) -> list[PlanCheckJob]:
    """Take due 3-month checks; one for a plan gone (erased) or already answered is cancelled."""
    now = clock.now()
    with uow:
        jobs = deliveries.claim(uow, now, (CHECK,), limit, lambda d, uncertain: _job(uow, d, uncertain))
        uow.commit()
        return jobs


def _job(uow: UnitOfWork, d: Delivery, uncertain: bool) -> PlanCheckJob | None:
    plan = uow.session.get(ForwardPlan, int(d.period.partition(":")[2]))
    group = uow.groups.get(d.group_id)
    if plan is None or group is None or plan.checked_at is not None:
        return None
    return PlanCheckJob(d.id, d.kind, d.user_id, group.id, group.name, plan.id, plan.theme,
                        str(plan.answers.get("in_3_months") or ""), uncertain)


def record_check(uow: UnitOfWork, clock: Clock, *, plan_id: int, user_id: str, seen: str, note: str) -> str:
    """The manager's answer to the 3-month check, kept on the plan; returns the plan's theme."""
    now = clock.now()
    if seen not in SEEN:
        raise BadInput("plan_check_choose")
    with uow:
        plan = uow.session.get(ForwardPlan, plan_id)
        if plan is None or plan.user_id != user_id:
            uow.audit.record(now, user_id, "assess.plan_check", "refused", plan.group_id if plan else None,
                             reason="not_theirs")
            uow.commit()
            raise NotAllowed("plan_not_yours")
        plan.check_answer, plan.checked_at = {"seen": seen, "note": note.strip()[:MAX_TEXT]}, now
        uow.audit.record(now, user_id, "assess.plan_check", "ok", plan.group_id, plan=plan.id, seen=seen)
        uow.commit()
        return plan.theme
