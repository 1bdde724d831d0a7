"""Subject access (`/group my data`): everything the bot holds about one person, across all their groups.

What goes in: what they typed (contributions of every stage, withdrawn ones too; theme answers;
feedback; check-in words; action updates they wrote; check-in answers, every version; self-assessments
and forward plans; actions they wrote; rules and agreements they adopted or published) and the facts
about them (memberships and organisations, attendance, actions they own or volunteered for, signatures,
reminders and other DMs sent to them, audit entries where they are the actor, requests of theirs not yet handled).

What stays out: anything typed by someone else, with one exception, decided here: the description of
an action *assigned* to them (as owner or volunteer) is included, because it is the record of what they
were asked to do. Updates others wrote on their actions are listed by date and status, without the note.
The file holds plain values with stable keys (`FORMAT` names the layout).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.domain.clock import Clock
from storage.inbox import current_ticket
from storage.uow import UnitOfWork

FORMAT = "carehome-strategy-group/subject-access/1"
Json = dict[str, Any]


def collect_my_data(uow: UnitOfWork, clock: Clock, *, team_id: str, user_id: str) -> Json:
    """The person's data as a JSON-ready dict; the request is audited (counts only, no text)."""
    with uow:
        s = uow.subject
        groups: dict[int, Json] = {}

        def group(g: Any) -> Json:
            return groups.setdefault(g.id, _empty_group(g))

        for member, g in s.memberships(team_id, user_id):
            group(g)["membership"] = {"role": member.role, "organisation": member.organisation,
                                      "display_name": member.display_name, "joined_at": _iso(member.joined_at)}
        for a, m, g in s.attendance(team_id, user_id):
            group(g)["attendance"].append({"meeting": m.number, "status": a.status, "organisation": a.organisation,
                                           "feeling": a.feeling, "recorded_at": _iso(a.recorded_at)})
        for c, m, g in s.contributions(team_id, user_id):
            kind = {"themes": "theme_answers", "feedback": "feedback"}.get(c.stage, "contributions")
            group(g)[kind].append({"meeting": m.number, "stage": c.stage, "theme": c.theme, "question": c.question,
                                   "text": c.text, "details": c.details, "source": c.source,
                                   "withdrawn": c.withdrawn, "created_at": _iso(c.created_at),
                                   "updated_at": _iso(c.updated_at)})
        assigned = _actions(s.actions(team_id, user_id), user_id, group)
        _updates(s.action_updates(team_id, user_id, sorted(assigned)), user_id, group)
        _checkins(uow, team_id, user_id, group)
        _records(uow, team_id, user_id, group)
        _assessments(uow, team_id, user_id, group)
        ticket = current_ticket.get()
        pending = [{"kind": i.kind, "received_at": _iso(i.received_at)}
                   for i in s.pending_requests(user_id, ticket.inbox_id if ticket else None)]
        audit = [{"at": _iso(e.at), "group_id": e.group_id, "action": e.action, "outcome": e.outcome,
                  "detail": e.detail} for e in s.audit(user_id)]
        data: Json = {"format": FORMAT, "generated_at": _iso(clock.now()),
                      "person": {"slack_user_id": user_id, "team_id": team_id},
                      "groups": [groups[k] for k in sorted(groups)], "audit_log": audit,
                      "requests_not_yet_handled": pending}
        uow.audit.record(clock.now(), user_id, "data.subject_access", "ok", None, groups=len(groups),
                         records=count_records(data))
        uow.commit()
        return data


def count_records(data: Json) -> int:
    per_group = sum(len(v) for g in data["groups"] for v in g.values() if isinstance(v, list))
    return per_group + len(data["audit_log"]) + len(data["requests_not_yet_handled"])


def _empty_group(g: Any) -> Json:
    return {"group": {"id": g.id, "name": g.name, "channel_id": g.channel_id}, "membership": None,
            "attendance": [], "contributions": [], "theme_answers": [], "feedback": [], "actions": [],
            "action_updates": [], "checkin_answers": [], "away": [], "signatures": [],
            "ground_rules_adopted": [], "agreements_published": [], "messages_sent_to_you": [],
            "self_assessments": [], "forward_plans": []}


def _actions(rows: Any, user_id: str, group: Any) -> set[int]:
    assigned: set[int] = set()
    for a, g in rows:
        roles = [r for r, who in (("owner", a.owner_id), ("volunteer", a.volunteer_id), ("wrote", a.created_by))
                 if who == user_id]
        if "owner" in roles or "volunteer" in roles:
            assigned.add(a.id)
        group(g)["actions"].append({
            "ref": f"A-{a.number}", "your_part": roles, "description": a.description,
            "prerequisites": a.prerequisites if "wrote" in roles else None, "agency": a.agency, "theme": a.theme,
            "due_date": _iso(a.due_date), "status": a.status, "created_at": _iso(a.created_at)})
    return assigned


def _updates(rows: Any, user_id: str, group: Any) -> None:
    for u, a, g in rows:
        yours = u.author == user_id
        group(g)["action_updates"].append({
            "ref": f"A-{a.number}", "written_by_you": yours, "old_status": u.old_status, "new_status": u.new_status,
            "note": u.note if yours else None, "new_due_date": _iso(u.new_due_date), "at": _iso(u.at)})


def _checkins(uow: UnitOfWork, team_id: str, user_id: str, group: Any) -> None:
    rows = uow.subject.checkin_answers(team_id, user_id)
    versions: dict[int, list[Json]] = {}
    for v in uow.subject.answer_versions([a.id for a, _, _ in rows]):
        versions.setdefault(v.answer_id, []).append({"version": v.version, "answers": v.answers,
                                                     "submitted_at": _iso(v.submitted_at)})
    for a, week, g in rows:
        group(g)["checkin_answers"].append({"week_of": _iso(week.week_start), "answers": a.answers,
                                            "version": a.version, "versions": versions.get(a.id, []),
                                            "updated_at": _iso(a.updated_at)})
    for away, g in uow.subject.away_periods(team_id, user_id):
        group(g)["away"].append({"until": _iso(away.until), "set_at": _iso(away.set_at)})


def _records(uow: UnitOfWork, team_id: str, user_id: str, group: Any) -> None:
    s = uow.subject
    for sig, version, g in s.signatures(team_id, user_id):
        group(g)["signatures"].append({"agreement_version": version.version, "signed_at": _iso(sig.signed_at)})
    for rules, g in s.rules_adopted(team_id, user_id):
        group(g)["ground_rules_adopted"].append({"version": rules.version, "rules": rules.rules,
                                                 "adopted_at": _iso(rules.adopted_at)})
    for version, g in s.agreements_published(team_id, user_id):
        group(g)["agreements_published"].append({"version": version.version, "text": version.text,
                                                 "published_at": _iso(version.published_at)})
    for d, g in s.deliveries(team_id, user_id):
        group(g)["messages_sent_to_you"].append({"kind": d.kind, "period": d.period, "status": d.status,
                                                 "sent_at": _iso(d.sent_at)})


def _assessments(uow: UnitOfWork, team_id: str, user_id: str, group: Any) -> None:
    """Their homes' self-assessments (levels, evidence, who took part) and forward plans with their checks."""
    for a, g in uow.assessments.of_person(team_id, user_id):
        group(g)["self_assessments"].append({"home": a.home, "answers": a.answers, "started_at": _iso(a.started_at),
                                             "completed_at": _iso(a.completed_at)})
    for p, g in uow.assessments.plans_of_person(team_id, user_id):
        group(g)["forward_plans"].append({"theme": p.theme, "answers": p.answers, "check_on": _iso(p.check_on),
                                          "check_answer": p.check_answer, "checked_at": _iso(p.checked_at),
                                          "created_at": _iso(p.created_at)})


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None
