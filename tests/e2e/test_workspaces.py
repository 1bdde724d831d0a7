"""Two workspaces on one multi-workspace deployment, with the same channel id and the same user ids (Slack
ids are only unique within a workspace here): each sees only its own group, meeting, actions, check-ins
and App Home, and each is written to with its own token. Both installed through the OAuth flow; one Slack
API address in front of both stand-ins, as Slack's is (tests/standin/workspaces.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.models import Action, CheckinWeek, Delivery, Group, Meeting
from tests.checkin_steps import GREETING, MANAGERS, at, dms, tick
from tests.e2e.test_home import open_home
from tests.harness import CHANNEL, PEOPLE
from tests.oauth_steps import CLIENT_ID, CLIENT_SECRET, SCOPES, MultiWorkspaceBot, install
from tests.standin import FakeSlack, SlackDriver
from tests.standin.workspaces import SlackFront
from tests.steps import _all_text, ephemeral_to, give_roles, posted, set_up_group

SOUTHWARK, LAMBETH = "Southwark Care Home Strategy Group", "Lambeth Care Home Strategy Group"


@pytest.fixture
def other() -> Iterator[FakeSlack]:
    """A second workspace, T2, with the same people (same user ids) and the same channel id as the first."""
    fake = FakeSlack(signing_secret="test-secret", bot_token="xoxb-not-used", team_id="T2").start()
    for user_id, (name, real_name) in PEOPLE.items():
        fake.add_user(user_id, name, real_name)
    fake.add_channel(CHANNEL, "strategy-group", list(PEOPLE))
    yield fake
    fake.stop()


@pytest.fixture
def both(fake, other, engine, clock):
    for each in (fake, other):
        each.enable_oauth(CLIENT_ID, CLIENT_SECRET, SCOPES)
    front = SlackFront([fake, other])
    running = MultiWorkspaceBot(fake, engine, clock, api_url=front.api_url)
    for each in (fake, other):
        assert install(running, each).status == 200
    yield running, SlackDriver(running.events_url, fake), SlackDriver(running.events_url, other)
    running.stop()
    front.stop()


def _say(driver, fake, user, command, text) -> str:
    """The private answer's text and blocks, as one string."""
    mark = fake.mark()
    driver.command(user, CHANNEL, command, text)
    said = ephemeral_to(fake, user, mark)
    return said + " " + _all_text(fake.ephemerals(user)[-1].get("blocks") or [])


def test_two_workspaces_with_the_same_ids_never_see_each_other(both, fake, other, db, clock):
    bot, here, there = both
    set_up_group(here, fake, SOUTHWARK)
    set_up_group(there, other, LAMBETH)
    assert {(g.team_id, g.channel_id, g.name) for g in db.all(Group)} == {
        ("T1", CHANNEL, SOUTHWARK), ("T2", CHANNEL, LAMBETH)}
    give_roles(here, fake)
    give_roles(there, other)

    # Groups: each channel's /group answers with its own workspace's group.
    assert SOUTHWARK in _say(here, fake, "UCHAIR", "/group", "members")
    lambeth_members = _say(there, other, "UCHAIR", "/group", "members")
    assert LAMBETH in lambeth_members and SOUTHWARK not in lambeth_members

    # Meetings: a meeting started in T1 posts its card in T1's channel only; T2 has none running.
    mark_other = other.mark()
    start_meeting_card = _start(here, fake)
    assert "Welcome and check-in" in (start_meeting_card.get("text") or "")
    assert not [c for c in other.calls[mark_other:] if c.method == "chat.postMessage"]
    southwark, lambeth = (db.one(Group, team_id=t) for t in ("T1", "T2"))
    assert db.count(Meeting, group_id=southwark.id) == 1 and db.count(Meeting, group_id=lambeth.id) == 0
    assert "no meeting" in _say(there, other, "UCHAIR", "/meeting", "next").lower()

    # Actions: added in T2, listed in T2, never in T1 (whose own action stays its own).
    _say(there, other, "UCHAIR", "/actions", "add Lambeth falls audit owner <@UMGR1> due 2027-01-29")
    _say(here, fake, "UCHAIR", "/actions", "add Southwark discharge letters owner <@UMGR1> due 2027-01-29")
    assert {a.description for a in db.all(Action, group_id=lambeth.id)} == {"Lambeth falls audit"}
    assert {a.description for a in db.all(Action, group_id=southwark.id)} == {"Southwark discharge letters"}
    listed_there = _say(there, other, "UMGR1", "/actions", "")
    assert "Lambeth falls audit" in listed_there and "Southwark" not in listed_there

    # App Home: the same user id sees only the group of the workspace the Home is opened in.
    home_there = open_home(there, other, "UMGR1")
    assert "Lambeth" in home_there and "Southwark" not in home_there
    home_here = open_home(here, fake, "UMGR1")
    assert "Southwark" in home_here and "Lambeth" not in home_here

    # Check-ins: scheduled in T2 only; the DMs go out in T2 with T2's token, none in T1.
    assert "every Monday at 09:00" in _say(there, other, "UCHAIR", "/checkin", "schedule Mon 9am")
    at(clock, 2026, 11, 30, 9, 0)
    assert tick(bot) == 2  # the two managers of give_roles
    assert all(dms(other, u, GREETING) for u in ("UMGR1", "UMGR2"))
    assert not any(dms(fake, u, GREETING) for u in MANAGERS)
    assert db.count(CheckinWeek) == 1 and {d.group_id for d in db.all(Delivery)} == {lambeth.id}
    status_here = _say(here, fake, "UCHAIR", "/checkin", "status")
    assert "Lambeth" not in status_here


def _start(driver, fake):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "start")
    return posted(fake, "Welcome and check-in", after=mark)
