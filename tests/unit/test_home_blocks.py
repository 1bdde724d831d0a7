"""The Home tab's builder: most actionable first, and under Slack's 100 blocks however much there is."""

from __future__ import annotations

from datetime import UTC, date, datetime

from slack_sdk.models.views import View

from bot.domain.roles import Role
from bot.domain.snapshots import ActionSnap, AgreementSnap, GroupSnap, MeetingSnap, MemberSnap
from bot.services.home import CheckinToAnswer, Glance, Home, HomeGroup
from bot.services.reports import MyAction
from bot.texts import Texts
from handlers.blocks.home import home_view

TEXTS = Texts()
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
MEMBERS = tuple(MemberSnap(f"U{i}", Role.MEMBER, None, f"Member {i}") for i in range(12))


def _group(i: int, role: Role = Role.MEMBER) -> HomeGroup:
    g = GroupSnap(i, "T1", f"C{i}", f"Group <{i}> & friends", "my_home_life", "Europe/London", MEMBERS)
    agreement = AgreementSnap(100 + i, 2, "We agree.\n" * 900, "U0", NOW, f"C{i}", "1.1",
                              unsigned=tuple(m.user_id for m in MEMBERS))
    glance = Glance(7, 3, 2, agreement, (1, 4)) if role.runs_meetings else None
    return HomeGroup(g, role, MeetingSnap(i, i, 2, "running", "themes", True, NOW), agreement,
                     datetime(2027, 6, 8, 9, tzinfo=UTC), glance)


def _everything(n: int) -> Home:
    mine = tuple(MyAction(ActionSnap(i, i, 1, None, f"Action {i} " + "x" * 400, "U1", due_date=date(2026, 12, 1)),
                          "Group 1", "C1", overdue=i % 2 == 0) for i in range(1, n + 1))
    checkins = tuple(CheckinToAnswer(i, f"Group {i}", date(2026, 11, 23)) for i in range(n))
    return Home(mine, checkins, tuple(_group(i, Role.CHAIR) for i in range(n)))  # chairs: the most blocks


def _all_text(view: dict) -> str:
    return str(view["blocks"])


def test_home_stays_under_slacks_limits_with_many_groups_and_actions():
    view = home_view(_everything(60), TEXTS)
    View(**view).validate_json()  # slack_sdk's own checks: 100 blocks, text lengths, ids
    assert len(view["blocks"]) <= 100
    shown = _all_text(view)
    assert "52 more: type `/actions`" in shown  # 60 actions, 8 shown
    assert "56 more agreements waiting for your signature" in shown
    assert "56 more check-ins" in shown and "45 more groups" in shown
    assert "Group &lt;1&gt; &amp; friends" in shown  # group names are escaped for mrkdwn
    assert len({b["block_id"] for b in view["blocks"] if "block_id" in b}) == sum("block_id" in b
                                                                                  for b in view["blocks"])


def test_what_waits_for_me_comes_before_my_groups():
    shown = _all_text(home_view(_everything(2), TEXTS))
    order = [shown.index(s) for s in ("Your open actions (2)", "waiting for your signature",
                                      "waiting for your answers", "Your groups", "At a glance")]
    assert order == sorted(order)
    assert "The whole agreement is in <#C0>" in shown  # a long agreement is cut, with where to read it all


def test_a_chairs_glance_names_the_few_who_have_not_signed_and_counts_the_many():
    few = AgreementSnap(1, 3, "We agree.", "U0", NOW, "C1", "1.1", signed=(("U0", NOW),), unsigned=("U1", "U2"))
    item = HomeGroup(GroupSnap(1, "T1", "C1", "Southwark", "my_home_life", "Europe/London", MEMBERS), Role.CHAIR,
                     None, None, None, Glance(2, 1, 5, few, None))
    shown = _all_text(home_view(Home((), (), (item,)), TEXTS))
    assert "Actions: 2 open (:warning: 1 overdue) · 5 done" in shown
    assert "Agreement version 3: 2 of 12 still to sign (Member 1, Member 2)" in shown
    assert "not scheduled yet — set it with" in shown and "check-in:" not in shown
    many = _group(1, Role.CHAIR)
    assert "12 of 12 still to sign." in _all_text(home_view(Home((), (), (many,)), TEXTS))


def test_someone_in_no_group_gets_the_empty_state_only():
    view = home_view(Home((), (), ()), TEXTS)
    assert len(view["blocks"]) == 2 and "not in a Care Home Strategy Group yet" in _all_text(view)
