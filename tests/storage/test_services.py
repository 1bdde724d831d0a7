"""Services against a real database: permissions, audit, idempotency and races (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from bot.domain.errors import DomainError, NotAllowed
from bot.domain.roles import Role
from bot.services import agreement, contributions, groups, meetings
from storage.db import make_session_factory
from storage.models import AuditEntry, Contribution, Signature
from storage.uow import UnitOfWork

SETUP = groups.GroupSetup("Southwark CHSG", "my_home_life", "Europe/London", "UCHAIR")


@pytest.fixture
def uow(engine):
    factory = make_session_factory(engine)
    return lambda: UnitOfWork(factory)


@pytest.fixture
def meeting(uow, clock):
    groups.setup_group(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", setup=SETUP)
    return meetings.start_meeting(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR",
                                  catalogue={"my_home_life": ("Theme A", "Theme B")}).state.meeting


def count(uow, model, **where):
    with uow() as u:
        return u.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_a_member_who_tries_to_move_the_meeting_is_refused_and_the_refusal_is_audited(uow, clock, meeting):
    with pytest.raises(NotAllowed) as refused:
        meetings.move_meeting(uow(), clock, team_id="T1", channel_id="C1", actor="UMEMBER", how="next")
    assert refused.value.params["chairs"] == ["UCHAIR"]
    with uow() as u:
        entry = u.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.actor, entry.action, entry.outcome) == ("UMEMBER", "meeting.next", "refused")
        assert u.meetings.get(meeting.id).stage == "check_in"


def test_next_at_ground_rules_asks_to_adopt_first_and_skip_does_not(uow, clock, meeting):
    meetings.move_meeting(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", how="next")
    asked = meetings.move_meeting(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", how="next")
    assert isinstance(asked, meetings.NeedsDecision) and asked.meeting.stage == "ground_rules"
    moved = meetings.move_meeting(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", how="skip")
    assert isinstance(moved, meetings.CardToPost) and moved.state.stage == "agreement"


def test_the_same_thread_reply_delivered_twice_is_recorded_once(uow, clock, meeting):
    card = meetings.move_meeting(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", how="goto",
                                 target="ground rules")
    meetings.card_posted(uow(), card.card_id, "100.1")
    kwargs = dict(team_id="T1", channel_id="C1", thread_ts="100.1", ts="100.2", user_id="U2", text="Be on time")
    first = contributions.contribute_in_thread(uow(), clock, **kwargs)
    second = contributions.contribute_in_thread(uow(), clock, **kwargs)
    assert first.new and not second.new
    assert count(uow, Contribution) == 1


def test_two_simultaneous_clicks_on_sign_record_one_signature(uow, clock, meeting):
    published = agreement.publish_agreement(uow(), clock, meeting_id=meeting.id, actor="UCHAIR",
                                            text="We listen.", request_key="view:V1")
    results: list[agreement.Signed] = []
    barrier = threading.Barrier(4)

    def click() -> None:
        barrier.wait()
        results.append(agreement.sign_agreement(uow(), clock, version_id=published.agreement.id, user_id="U2"))

    threads = [threading.Thread(target=click) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert count(uow, Signature) == 1
    assert sum(r.new for r in results) == 1


def test_a_superseded_agreement_cannot_be_signed(uow, clock, meeting):
    v1 = agreement.publish_agreement(uow(), clock, meeting_id=meeting.id, actor="UCHAIR", text="One",
                                     request_key="view:V1")
    agreement.publish_agreement(uow(), clock, meeting_id=meeting.id, actor="UCHAIR", text="Two", request_key="view:V2")
    with pytest.raises(DomainError) as refused:
        agreement.sign_agreement(uow(), clock, version_id=v1.agreement.id, user_id="U2")
    assert refused.value.code == "agreement_superseded" and refused.value.params == {"version": 1, "current": 2}
    assert count(uow, Signature) == 0


def test_the_same_adopt_submission_twice_makes_one_version(uow, clock, meeting):
    for _ in range(2):
        adopted = agreement.adopt_rules(uow(), clock, meeting_id=meeting.id, actor="UCHAIR", rules=["Listen"],
                                        request_key="view:V9")
    assert adopted.rules.version == 1 and not adopted.new


def test_the_only_chair_cannot_be_demoted(uow, clock, meeting):
    with pytest.raises(DomainError) as refused:
        groups.set_role(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", user_id="UCHAIR",
                        role=Role.MEMBER, organisation=None, in_channel=True)
    assert refused.value.code == "last_chair"
