"""The group's record answers only its members (people in its member list or in its channel); a group is
set up only in a channel. Driven through signed HTTP, with an outsider who is in neither."""

from __future__ import annotations

import pytest

from storage.models import AuditEntry, Group
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, set_up_group

REFUSED = "Only members of this group can see its record"
READS = [("/meeting", "minutes", "meeting.minutes"), ("/meeting", "status", "meeting.status"),
         ("/actions", "all", "actions.all"), ("/group", "members", "group.members"),
         ("/group", "settings", "group.settings")]


@pytest.fixture
def group(bot, driver, fake):
    set_up_group(driver, fake)
    give_roles(driver, fake)


@pytest.mark.parametrize(("command", "text", "action"), READS)
def test_an_outsider_is_refused_the_groups_record_politely_and_the_refusal_is_audited(
        group, driver, fake, db, command, text, action):
    mark = fake.mark()
    driver.command("UOUTSIDER", CHANNEL, command, text)
    said = ephemeral_to(fake, "UOUTSIDER", mark)
    assert REFUSED in said and "<@UCHAIR>" in said  # who to ask
    after = fake.calls[mark:]
    assert not [c for c in after if c.method in ("chat.postMessage", "files.completeUploadExternal", "views.open")]
    assert "Southwark" not in str([c.args for c in after])  # not even the group's name
    [refusal] = db.all(AuditEntry, actor="UOUTSIDER", action=action)
    assert (refusal.outcome, refusal.detail) == ("refused", {"reason": "not_member"})


def test_an_outsider_cannot_export_either(group, driver, fake, db):
    mark = fake.mark()
    driver.command("UOUTSIDER", CHANNEL, "/group", "export minutes md")
    assert "Only the chair or a co-chair" in ephemeral_to(fake, "UOUTSIDER", mark)
    assert not fake.calls_to("files.completeUploadExternal")
    assert db.one(AuditEntry, actor="UOUTSIDER").outcome == "refused"


@pytest.mark.parametrize(("command", "text", "expected"), [
    ("/meeting", "status", "No meeting is running"), ("/meeting", "minutes", "has not met yet"),
    ("/actions", "all", "no actions yet"), ("/group", "members", "7 members"),
    ("/group", "settings", "Privacy settings")])
def test_members_read_the_record_and_so_does_someone_in_the_channel_the_list_does_not_know_yet(
        group, driver, fake, db, command, text, expected):
    for user in ("UHW", "UNEWBIE"):
        if user == "UNEWBIE":  # joined the channel, never said anything: not in the member list
            fake.add_user("UNEWBIE", "nina", "Nina New")
            fake.add_member(CHANNEL, "UNEWBIE")
        mark = fake.mark()
        driver.command(user, CHANNEL, command, text)
        said = ephemeral_to(fake, user, mark)
        assert expected in said and REFUSED not in said
    assert not db.all(AuditEntry, outcome="refused")


def test_app_home_shows_an_outsider_no_group(group, driver, fake):
    mark = fake.mark()
    driver.app_home_opened("UOUTSIDER")
    fake.wait_for("views.publish", after=mark, user_id="UOUTSIDER")
    home = str(fake.home_view("UOUTSIDER"))
    assert "not in a Care Home Strategy Group yet" in home and "Southwark" not in home
    mark = fake.mark()
    driver.app_home_opened("UMGR1")
    fake.wait_for("views.publish", after=mark, user_id="UMGR1")
    assert "Southwark" in str(fake.home_view("UMGR1"))


@pytest.mark.parametrize("where", ["dm", "group_dm"])
def test_group_setup_is_refused_in_a_direct_message_with_a_clear_message(bot, driver, fake, db, where):
    if where == "dm":
        channel = fake.dm_channel("UCHAIR")
    else:
        channel = "GMPDM1"
        fake.add_channel(channel, "mpdm-sam--priya-1", ["UCHAIR", "UCOCHAIR"], is_private=True)
    mark = fake.mark()
    driver.command("UCHAIR", channel, "/group", "setup")
    said = ephemeral_to(fake, "UCHAIR", mark)
    assert "run `/group setup` in the channel the group will use" in said
    assert not fake.calls_to("views.open") and db.count(Group) == 0
    refusal = db.one(AuditEntry, action="group.setup")
    assert (refusal.actor, refusal.outcome, refusal.detail) == ("UCHAIR", "refused", {"reason": "not_in_channel"})
