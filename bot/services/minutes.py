"""The minutes of a meeting: gathered from the database as plain values, stored when the meeting closes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import DomainError
from bot.domain.minutes import (
    ActionMinutes,
    FeedbackMinutes,
    MinutesData,
    Person,
    ReportMinutes,
    Said,
    ThemeMinutes,
    UpdateMinutes,
)
from bot.domain.roles import Role
from bot.domain.stages import StageKey
from bot.domain.when import format_day
from bot.services.common import Reader, check_reader, require_chair, require_group
from bot.services.stage_state import report_items
from storage.models import Contribution, Group, Meeting, Member, Minutes
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class MinutesCopy:
    """Which meeting's minutes to show, and whether this copy is the chairs' (feedback with names)."""

    meeting_id: int
    chairs_copy: bool = False


def minutes_data(uow: UnitOfWork, *, meeting_id: int, descriptions: Mapping[str, str],
                 chairs_copy: bool = False) -> MinutesData:
    """The minutes as plain values. Feedback carries names only in the chairs' copy, or when the group
    chose names (`/group settings feedback-names on`): the minutes posted to the channel are everyone's."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        assert meeting is not None
        return _gather(uow, meeting, descriptions, chairs_copy)


def find_meeting(uow: UnitOfWork, *, team_id: str, channel_id: str, number: int | None,
                 reader: Reader | None = None) -> MinutesCopy:
    """The meeting `number` of the channel's group, or its latest meeting; for a reader, members only,
    and a chair's or co-chair's copy (shown to them alone) names who gave which feedback."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        check_reader(uow, group, reader)
        member = uow.groups.member(group.id, reader.user_id) if reader else None
        return MinutesCopy(_numbered(uow, group, number).id, bool(member and Role(member.role).runs_meetings))


def _numbered(uow: UnitOfWork, group: Group, number: int | None) -> Meeting:
    meeting = uow.meetings.by_number(group.id, number) if number else uow.meetings.latest(group.id)
    if meeting is None:
        raise DomainError("no_such_meeting", number=number, last=uow.meetings.count(group.id))
    return meeting


def store_minutes(uow: UnitOfWork, clock: Clock, *, meeting_id: int, markdown: str) -> None:
    """Keep the minutes as published: the record, whatever changes later."""
    with uow:
        if uow.meetings.minutes(meeting_id) is None:
            uow.meetings.add_unique(Minutes(meeting_id=meeting_id, markdown=markdown, created_at=clock.now()))
        uow.commit()


def export_minutes(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                   number: int | None) -> int:
    """Chairs export minutes (audited): the id of the meeting whose minutes to export."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "export.minutes", clock.now())
        meeting = _numbered(uow, group, number)
        uow.audit.record(clock.now(), actor, "export.minutes", "ok", group.id, meeting=meeting.number)
        uow.commit()
        return meeting.id


def _gather(uow: UnitOfWork, meeting: Meeting, descriptions: Mapping[str, str], chairs_copy: bool) -> MinutesData:
    group = uow.groups.get(meeting.group_id)
    assert group is not None
    members = {m.user_id: m for m in uow.groups.members(group.id)}
    zone = ZoneInfo(group.timezone)

    def name(user_id: str | None) -> str:
        member = members.get(user_id or "")
        return member.display_name if member and member.display_name else "a member"

    attendance = uow.meetings.attendance(meeting.id)
    present = [a for a in attendance if a.status == "present"]
    present_ids = {a.user_id for a in present}
    sorry = [a.user_id for a in attendance if a.status == "apologies"]
    absent = [m for m in members.values()
              if m.user_id not in present_ids and m.user_id not in sorry and Role(m.role).expected_to_sign]
    rules = uow.agreements.rules(group.id)
    agreement = uow.agreements.current(group.id)
    signed = [s.user_id for s in uow.agreements.signatures(agreement.id)] if agreement else []
    named = chairs_copy or group.minutes_name_feedback
    return MinutesData(
        group=group.name, number=meeting.number, date=_local(meeting.started_at, zone, "%A %-d %B %Y"),
        started=_local(meeting.started_at, zone, "%H:%M"),
        ended=_local(meeting.ended_at, zone, "%H:%M") if meeting.ended_at else None,
        attended=tuple(Person(name(a.user_id), a.organisation or _org(members, a.user_id)) for a in present),
        apologies=tuple(Person(name(u), _org(members, u)) for u in sorry),
        absent=tuple(Person(name(m.user_id), m.organisation) for m in absent),
        rules_version=rules.version if rules else None, rules=tuple(rules.rules) if rules else (),
        agreement_version=agreement.version if agreement else None,
        signed=tuple(name(u) for u in signed),
        not_signed=tuple(name(m.user_id) for m in members.values()
                         if Role(m.role).expected_to_sign and m.user_id not in signed) if agreement else (),
        reports=_reports(uow, meeting, name, zone) if meeting.is_follow_up else (),
        report_comments=tuple(Said(name(c.user_id), c.text)
                              for c in uow.contributions.for_stage(meeting.id, StageKey.REPORT_BACK)
                              if not (c.details or {}).get("action_id")),
        themes=_themes(uow, meeting, name, descriptions),
        actions=tuple(ActionMinutes(f"A-{a.number}", a.description, name(a.owner_id), a.agency,
                                    format_day(a.due_date) if a.due_date else None, a.theme,
                                    a.prerequisites, name(a.volunteer_id) if a.volunteer_id else None,
                                    a.agency_in_group) for a in uow.actions.for_meeting(meeting.id)),
        feedback=_all_feedback(uow, meeting, name, present_ids, named),
        feedback_named=named, chairs_copy=chairs_copy,
        next_meeting=_local(meeting.next_meeting_at, zone, "%A %-d %B %Y, %H:%M") if meeting.next_meeting_at else None,
    )


def _themes(uow: UnitOfWork, meeting: Meeting, name: Callable[[str | None], str],
            descriptions: Mapping[str, str]) -> tuple[ThemeMinutes, ...]:
    said = uow.contributions.for_stage(meeting.id, StageKey.THEMES)
    out = []
    for theme in meeting.themes or []:
        of = [c for c in said if c.theme == theme]
        out.append(ThemeMinutes(theme, descriptions.get(theme, ""),
                                tuple(Said(name(c.user_id), c.text) for c in of if c.question == "working_well"),
                                tuple(Said(name(c.user_id), c.text) for c in of if c.question == "at_its_best")))
    return tuple(out)


def _reports(uow: UnitOfWork, meeting: Meeting, name: Callable[[str | None], str],
             zone: ZoneInfo) -> tuple[ReportMinutes, ...]:
    comments = uow.contributions.for_stage(meeting.id, StageKey.REPORT_BACK)
    return tuple(
        ReportMinutes(i.action.ref, i.action.description, name(i.action.owner_id), i.action.status,
                      tuple(UpdateMinutes(_local(u.at, zone, "%-d %B %Y"), name(u.author), u.new_status, u.note)
                            for u in i.updates),
                      tuple(Said(name(c.user_id), c.text) for c in comments
                            if (c.details or {}).get("action_id") == i.action.id))
        for i in report_items(uow, meeting))


def _all_feedback(uow: UnitOfWork, meeting: Meeting, name: Callable[[str | None], str], present_ids: set[str],
                  named: bool) -> tuple[FeedbackMinutes, ...]:
    given = [_feedback(c, name, present_ids) for c in uow.contributions.for_stage(meeting.id, StageKey.FEEDBACK)]
    if named:
        return tuple(given)
    # Without names the order of giving would still point at people ("the first to answer was the chair"):
    # sort by what was said instead, and drop the name from the values so no renderer can show it.
    anonymous = [FeedbackMinutes("", True, f.feeling, f.takeaway, f.rating) for f in given]
    return tuple(sorted(anonymous, key=lambda f: (f.feeling or "", f.takeaway or "", f.rating or 0)))


def _feedback(c: Contribution, name: Callable[[str | None], str], present_ids: set[str]) -> FeedbackMinutes:
    details = c.details or {}
    rating = details.get("rating")
    feeling = c.text if details.get("feeling", True) else None  # thread replies are feelings
    return FeedbackMinutes(name(c.user_id), c.user_id in present_ids, feeling, details.get("takeaway") or None,
                           int(rating) if rating else None)


def _org(members: Mapping[str, Member], user_id: str) -> str | None:
    member = members.get(user_id)
    return member.organisation if member else None


def _local(moment: datetime, zone: ZoneInfo, fmt: str) -> str:
    return moment.astimezone(zone).strftime(fmt)
