"""Members report back on their actions between meetings: by command, by button, and what is refused."""

from __future__ import annotations

import pytest

from storage.models import Action, ActionUpdate, AuditEntry
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, posted, set_up_group


def say(driver, fake, user, text, channel=CHANNEL):
    mark = fake.mark()
    driver.command(user, channel, "/actions", text)
    return ephemeral_to(fake, user, mark)


@pytest.fixture
def two_actions(bot, driver, fake, db):
    set_up_group(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "role <@UMGR1> manager organisation Tower Bridge")
    assert "is now *manager*" in ephemeral_to(fake, "UCHAIR", mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "add Write the welcome pack owner <@UMGR1> theme Managing "
                                                  "Transitions due 2026-12-18")
    posted(fake, "A-1", after=mark)
    fake.wait_until(lambda: "Added *A-1*" in (fake.ephemerals("UCHAIR")[-1].get("text") or ""))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "add Map GP cover owner <@UMGR1> agency CCG due 2026-11-20")
    fake.wait_until(lambda: "in the past" in (fake.ephemerals("UCHAIR")[-1].get("text") or ""))
    driver.click_ephemeral_button("UCHAIR", "Yes, add it")  # a past date: confirmed
    posted(fake, "A-2", after=mark)
    assert db.count(Action) == 2


def test_a_member_reports_back_by_command_and_by_button(two_actions, driver, fake, db):
    mine = say(driver, fake, "UMGR1", "")
    assert "Your open actions (2)" in mine
    assert "overdue" in str(fake.ephemerals("UMGR1")[-1]["blocks"])  # A-2 was due on 20 November

    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "report A-1 in progress Drafted with two families")
    posted(fake, "A-1* is now _in progress_", after=mark)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "")
    fake.wait_for("response_url", after=mark)
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Report back", value=str(db.one(Action, number=2).id))
    fake.wait_for("views.open", after=mark)
    form = fake.last_view("UMGR1")
    assert "History" in str(form["blocks"])
    answer = driver.submit_view("UMGR1", form, {"status": "done", "note": "Sent to every home"})
    assert answer.status == 200
    fake.wait_until(lambda: db.count(ActionUpdate) == 2)
    updates = [(u.old_status, u.new_status, u.note) for u in db.all(ActionUpdate)]
    assert ("not-started", "in-progress", "Drafted with two families") in updates
    assert any(new == "done" and note == "Sent to every home" for _, new, note in updates)

    everything = say(driver, fake, "UCHAIR", "all")
    assert "2 actions" in everything
    assert "Managing Transitions" in str(fake.ephemerals("UCHAIR")[-1]["blocks"])


@pytest.mark.parametrize(("text", "expected"), [
    ("report A-99 done", "There is no action A-99"),
    ("report A-1 finished", '"finished" is not a status I know'),
    ("report A-1 blocked", "say why"),
    ("report A-1", "/actions report &lt;id&gt; &lt;status&gt;"),
    ("report banana done", "is not an action id"),
])
def test_bad_reports_change_nothing(two_actions, driver, fake, db, text, expected):
    assert expected in say(driver, fake, "UMGR1", text)
    assert db.count(ActionUpdate) == 0 and {a.status for a in db.all(Action)} == {"not-started"}


def test_someone_else_cannot_report_on_an_action_and_is_told_whose_it_is(two_actions, driver, fake, db):
    answer = say(driver, fake, "UNHS", "report A-1 done")
    assert "Only the owner of A-1 (<@UMGR1>)" in answer
    assert db.count(ActionUpdate) == 0
    assert [(a.actor, a.action) for a in db.all(AuditEntry, outcome="refused")] == [("UNHS", "action.report")]


def test_the_chair_may_report_for_the_owner(two_actions, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "report A-2 dropped The CCG now does this itself")
    posted(fake, "A-2* is now _dropped_", after=mark)
    assert db.one(Action, number=2).status == "dropped"


def test_someone_with_no_actions_gets_a_friendly_empty_state(bot, driver, fake):
    assert "You have no open actions" in say(driver, fake, "UOUTSIDER", "", channel="DUOUTSIDER")
