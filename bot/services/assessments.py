"""The homes' self-assessments: a manager answers for their home, a chair opens a round for every home.

A home is a manager's organisation in the group. Answers are saved as a draft until every theme is done;
the completed assessment is then kept as it is, and the next `/assess` starts a new one, so an earlier
assessment is never overwritten. A round DMs each manager through the deliveries (bot/services/deliveries.py)
and plans one reminder, cancelled when the manager has completed an assessment since the round opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.domain.assessment import (
    MAX_TEXT,
    AssessmentForm,
    AssessmentJob,
    RoundOpened,
    Saved,
    Scale,
    done_count,
)
from bot.domain.clock import Clock
from bot.domain.erased import is_erased
from bot.domain.errors import BadInput, NotAllowed
from bot.domain.roles import Role
from bot.services import deliveries
from bot.services.common import require_chair, require_group
from storage.models import Assessment, AssessmentRound, Delivery, Group, Member
from storage.uow import UnitOfWork

INVITE, REMINDER = "assessment_invite", "assessment_reminder"
KINDS = (INVITE, REMINDER)
REMIND_AFTER = timedelta(days=7)
ScaleFor = Callable[[str], Scale]


def _manager(uow: UnitOfWork, group: Group, user_id: str) -> Member | None:
    m = uow.groups.member(group.id, user_id)
    return m if m is not None and m.role == Role.MANAGER.value else None


def _home_group(uow: UnitOfWork, now: datetime, *, team_id: str, channel_id: str, user_id: str,
                group_id: int | None) -> tuple[Group, Member]:
    """The group where the person manages a home: the one named, this channel's, else their first one."""
    if group_id is not None:
        found = uow.groups.get(group_id)
        groups = [found] if found else []
    else:
        here = uow.groups.by_channel(team_id, channel_id)
        groups = [here] if here else list(uow.groups.for_user(team_id, user_id))
    for group in groups:
        if (member := _manager(uow, group, user_id)) is not None:
            return group, member
    uow.audit.record(now, user_id, "assess.open", "refused", groups[0].id if groups else None, reason="not_manager")
    uow.commit()
    raise NotAllowed("assess_not_manager")


def _home(member: Member) -> str:
    return member.organisation or member.display_name or "Your home"


def open_form(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, user_id: str,
              group_id: int | None = None, round_id: int | None = None) -> AssessmentForm:
    """What the form shows: the draft's answers (saved part), or an empty form for a new assessment."""
    now = clock.now()
    with uow:
        group, member = _home_group(uow, now, team_id=team_id, channel_id=channel_id, user_id=user_id,
                                    group_id=group_id)
        draft = uow.assessments.draft(group.id, user_id)
        done = [a for a in uow.assessments.completed(group.id) if a.user_id == user_id]
        return AssessmentForm(group.id, group.name, _home(member), group.theme_set,
                              dict(draft.answers) if draft else {},
                              draft.round_id if draft and draft.round_id else round_id,
                              done[-1].completed_at if done else None, group.timezone)


def save(uow: UnitOfWork, clock: Clock, *, group_id: int, user_id: str, answers: dict[str, dict[str, Any]],
         scale_for: ScaleFor, round_id: int | None) -> Saved:
    """Save the form as the manager's draft; complete it (dated, kept as it is) once every theme is done."""
    now = clock.now()
    with uow:
        group, member = _home_group(uow, now, team_id="", channel_id="", user_id=user_id, group_id=group_id)
        scale = scale_for(group.theme_set)
        clean = {name: _answer(answers.get(name) or {}) for name in scale.names}
        draft = uow.assessments.draft(group.id, user_id)
        if draft is None:
            draft = uow.assessments.add(Assessment(
                group_id=group.id, user_id=user_id, home=_home(member), round_id=round_id,
                theme_set=scale.set_key, answers={}, started_at=now, updated_at=now, completed_at=None))
        draft.answers, draft.updated_at, draft.home = clean, now, _home(member)
        done = done_count(clean, scale.names)
        complete = done == len(scale.names)
        if complete:
            draft.completed_at = now
        uow.audit.record(now, user_id, "assess.save", "ok", group.id, done=done, complete=complete)
        uow.commit()
        return Saved(group.name, _home(member), complete, done, len(scale.names), draft.id)


def _answer(raw: dict[str, Any]) -> dict[str, Any]:
    level = raw.get("level")
    if level not in (None, "", 1, 2, 3, 4, "1", "2", "3", "4"):
        raise BadInput("assess_bad_level", given=str(level))
    texts = {k: str(raw.get(k) or "").strip() for k in ("evidence", "who")}
    if any(len(t) > MAX_TEXT for t in texts.values()):
        raise BadInput("assess_too_long", limit=MAX_TEXT)
    return {"level": int(str(level)) if level not in (None, "") else None, **texts}


def open_round(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str) -> RoundOpened:
    """A chair asks every home: one DM per manager now, one reminder a week later for those who have not
    completed an assessment by then."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "assess.round", now)
        managers = [m.user_id for m in uow.groups.members(group.id)
                    if m.role == Role.MANAGER.value and not is_erased(m.user_id)]
        if not managers:
            raise BadInput("assess_no_managers")
        row = uow.assessments.add(AssessmentRound(group_id=group.id, opened_by=actor, opened_at=now,
                                                  remind_at=now + REMIND_AFTER))
        period = f"round:{row.id}"
        for user in managers:
            deliveries.plan(uow, INVITE, user, group.id, period, now)
            uow.deliveries.add_unique(Delivery(kind=REMINDER, user_id=user, group_id=group.id, period=period,
                                               status="pending", attempts=0, next_attempt_at=row.remind_at,
                                               created_at=now))
        uow.audit.record(now, actor, "assess.round", "ok", group.id, round=row.id, invited=len(managers))
        uow.commit()
        return RoundOpened(group.name, len(managers), row.remind_at)


def claim_due(uow: UnitOfWork, clock: Clock, limit: int = 25) -> list[AssessmentJob]:
    """Take due invitations and reminders; a reminder to a home that has completed since is cancelled."""
    now = clock.now()
    with uow:
        jobs = deliveries.claim(uow, now, KINDS, limit, lambda d, uncertain: _job(uow, d, uncertain))
        uow.commit()
        return jobs


def _job(uow: UnitOfWork, d: Delivery, uncertain: bool) -> AssessmentJob | None:
    group = uow.groups.get(d.group_id)
    round_row = uow.assessments.round(int(d.period.partition(":")[2]))
    if group is None or round_row is None or _manager(uow, group, d.user_id) is None or is_erased(d.user_id):
        return None
    if d.kind == REMINDER and uow.assessments.completed_since(group.id, d.user_id, round_row.opened_at):
        return None
    return AssessmentJob(d.id, d.kind, d.user_id, group.id, group.name, round_row.id, uncertain)
