"""Keeping actions up to date: edit and reassign (by command and from the Report back form), loose targets,
merge, drop with a reason, and who may do what. Clock: Monday 23 November 2026, Europe/London."""

from __future__ import annotations

from datetime import date

import pytest

from storage.models import Action, ActionEdit, ActionUpdate, AuditEntry
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, posted, set_up_group


def say(driver, fake, user, text):
    mark = fake.mark()
    driver.command(user, CHANNEL, "/actions", text)
    return ephemeral_to(fake, user, mark)


def dm_text(fake, user, containing):
    """Wait for a DM to `user` that contains `containing`; return everything they were sent."""
    def everything():
        return "\n".join(str(m.get("text")) for m in fake.dms(user))
    fake.wait_until(lambda: containing in everything(), message=f"a DM to {user} with {containing!r}")
    return everything()


def add(driver, fake, text, ref):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", f"add {text}")
    posted(fake, ref, after=mark)


@pytest.fixture
def plan(bot, driver, fake, db):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    add(driver, fake, "Strengthen primary care to nursing beds owner <@UMGR1> theme Managing Transitions "
                      "due 2026-12-18", "A-1")
    add(driver, fake, "Review access to therapists owner <@UMGR2> agency CCG due 2026-12-20", "A-2")
    add(driver, fake, "Map GP cover for nursing homes owner <@UMGR2> agency CCG", "A-3")
    assert db.count(Action) == 3


def open_edit_form(driver, fake, user, ref):
    mark = fake.mark()
    driver.command(user, CHANNEL, "/actions", f"edit {ref}")
    fake.wait_for("views.open", after=mark)
    return fake.last_view(user)


def test_the_owner_edits_and_reassigns_by_command_and_both_owners_hear(plan, driver, fake, db):
    form = open_edit_form(driver, fake, "UMGR1", "A-1")
    shown = str(form["blocks"])
    assert "Strengthen primary care" in shown and "Managing Transitions" in shown  # objective: the theme
    assert "posted in the group's channel" in shown and "you both get a DM" in shown  # who sees it
    mark = fake.mark()
    answer = driver.submit_view("UMGR1", form, {
        "description": "Strengthen primary and secondary care for nursing beds",
        "owner": "UMGR2", "responsible_users": ["UNHS"],
        "responsible_text": "New independent chair, when appointed", "agency": "NHS South East London",
        "prerequisites": "Business case agreed", "target": "by end of July",
        "milestone": "A signed-off business case"})
    assert answer.status == 200, answer.body
    posted(fake, "*A-1* was updated by", after=mark)
    old, new = dm_text(fake, "UMGR1", "has been given to"), dm_text(fake, "UMGR2", "You now own")
    assert "has been given to" in old and "You now own *A-1*" in new and "by end of July" in new
    assert 'Target "by end of July": reminders will use *Sat 31 July 2027*' in old  # the editor's thanks

    a = db.one(Action, number=1)
    assert (a.owner_id, a.target_text, a.due_date) == ("UMGR2", "by end of July", date(2027, 7, 31))
    assert (a.responsible_users, a.responsible_text) == (["UNHS"], "New independent chair, when appointed")
    assert (a.agency, a.prerequisites, a.milestone) == ("NHS South East London", "Business case agreed",
                                                        "A signed-off business case")
    assert a.objective is None  # left as the theme
    edit = db.one(ActionEdit, action_id=a.id)
    assert edit.author == "UMGR1" and edit.kind == "edit"
    assert edit.changes["owner"] == ["UMGR1", "UMGR2"] and edit.changes["target"][1] == "by end of July"
    assert "objective" not in edit.changes
    assert ("UMGR1", "action.edit", "ok") in [(e.actor, e.action, e.outcome) for e in db.all(AuditEntry)]

    history = say(driver, fake, "UHW", "show A-1")  # any member; the history says who changed what
    blocks = str(fake.ephemerals("UHW")[-1]["blocks"])
    assert "A-1" in history and "changed" in blocks and "owner" in blocks and "reminders use Sat 31 July 2027" in blocks


def test_loose_targets_are_kept_as_written_with_the_reminder_day_shown_back(plan, driver, fake, db):
    for written, day in [("August/September 2027", date(2027, 9, 30)), ("Q3 2027", date(2027, 9, 30)),
                         ("end of 2027", date(2027, 12, 31)), ("July / August", date(2027, 8, 31))]:
        form = open_edit_form(driver, fake, "UCHAIR", "A-2")
        assert driver.submit_view("UCHAIR", form, {"target": written}).status == 200
        dm_text(fake, "UCHAIR", f'Target "{written}": reminders will use')
        a = db.one(Action, number=2)
        assert (a.target_text, a.due_date) == (written, day)
    assert db.count(ActionEdit, action_id=db.one(Action, number=2).id) == 4


def test_a_target_without_a_date_is_refused_in_the_form_and_nothing_changes(plan, driver, fake, db):
    form = open_edit_form(driver, fake, "UCHAIR", "A-2")
    answer = driver.submit_view("UCHAIR", form, {"target": "when funding allows"})
    assert answer.json["response_action"] == "errors"
    assert "could not find a date" in answer.json["errors"]["target"]
    assert db.one(Action, number=2).due_date == date(2026, 12, 20) and db.count(ActionEdit) == 0


def test_edit_from_the_report_back_form_keeps_history_in_that_form(plan, driver, fake, db):
    a1 = db.one(Action, number=1)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "report A-1 in progress Met the practice")
    posted(fake, "A-1* is now _in progress_", after=mark)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "")
    fake.wait_for("response_url", after=mark)
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Report back", value=str(a1.id))
    fake.wait_for("views.open", after=mark)
    report = fake.last_view("UMGR1")
    mark = fake.mark()
    driver.click_view_button("UMGR1", report, "Edit action")
    fake.wait_for("views.push", after=mark)
    form = fake.last_view("UMGR1")
    assert "Met the practice" in str(form["blocks"])  # the history so far, under the fields
    mark = fake.mark()
    assert driver.submit_view("UMGR1", form, {"target": "Q1 2027", "milestone": "Every home visited"}).status == 200
    fake.wait_for("views.update", after=mark)
    redrawn = str(fake.view(report["id"])["blocks"])
    assert "Met the practice" in redrawn and "Q1 2027" in redrawn and "year-1 milestone" in redrawn
    assert db.one(Action, number=1).due_date == date(2027, 3, 31)
    assert db.count(ActionUpdate) == 1 and db.count(ActionEdit) == 1


def test_someone_else_is_told_whose_action_it_is_and_the_refusal_is_audited(plan, driver, fake, db):
    answer = say(driver, fake, "UNHS", "edit A-1")
    assert "A-1 is <@UMGR1>'s action: only they or the group's chair can change it" in answer
    assert say(driver, fake, "UNHS", "drop A-1 Not needed").startswith("A-1 is <@UMGR1>'s action")
    assert "Only the chair or a co-chair" in say(driver, fake, "UMGR1", "merge A-1 into A-2")
    refused = [(e.actor, e.action) for e in db.all(AuditEntry, outcome="refused")]
    assert refused == [("UNHS", "action.edit"), ("UNHS", "action.drop"), ("UMGR1", "action.merge")]
    assert db.count(ActionEdit) == 0 and {a.status for a in db.all(Action)} == {"not-started"}


def test_the_chair_merges_two_actions_and_both_keep_their_history(plan, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "merge A-3 into A-2")
    posted(fake, "*A-3* is merged into *A-2*", after=mark)
    a2, a3 = db.one(Action, number=2), db.one(Action, number=3)
    assert (a3.status, a3.merged_into) == ("dropped", a2.id)
    assert a2.status == "not-started" and a2.responsible_users is None  # the same owner: nobody to add
    assert [e.kind for e in db.all(ActionEdit)] == ["merge", "merged"]
    assert db.one(ActionUpdate, action_id=a3.id).note == "Merged into A-2"
    shown = say(driver, fake, "UCHAIR", "show A-3")
    assert "A-3" in shown and "merged into A-2" in str(fake.ephemerals("UCHAIR")[-1]["blocks"])
    assert "has been merged" in say(driver, fake, "UCHAIR", "merge A-3 into A-1")
    assert "cannot be merged into itself" in say(driver, fake, "UCHAIR", "merge A-1 into A-1")
    assert "/actions merge &lt;id&gt; into &lt;id&gt;" in say(driver, fake, "UCHAIR", "merge A-1 A-2")


def test_an_action_is_dropped_only_with_a_reason(plan, driver, fake, db):
    assert "Say why A-2 is dropped" in say(driver, fake, "UMGR2", "drop A-2")
    assert db.one(Action, number=2).status == "not-started"
    mark = fake.mark()
    driver.command("UMGR2", CHANNEL, "/actions", "drop A-2 The CCG now runs this itself")
    posted(fake, "*A-2* is dropped", after=mark)
    a2 = db.one(Action, number=2)
    assert a2.status == "dropped"
    assert db.one(ActionUpdate, action_id=a2.id).note == "The CCG now runs this itself"
    assert db.one(ActionEdit, action_id=a2.id).changes["reason"] == [None, "The CCG now runs this itself"]
    assert "Say why the action is dropped" in say(driver, fake, "UMGR1", "report A-1 dropped")


def test_forgetting_someone_reaches_the_edits_they_made_and_the_actions_naming_them(plan, driver, fake, db):
    form = open_edit_form(driver, fake, "UMGR1", "A-1")
    assert driver.submit_view("UMGR1", form, {"milestone": "Milestone words of Alex"}).status == 200
    form = open_edit_form(driver, fake, "UCHAIR", "A-2")
    assert driver.submit_view("UCHAIR", form, {"responsible_users": ["UMGR1"]}).status == 200
    fake.wait_until(lambda: db.count(ActionEdit) == 2)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "forget <@UMGR1|alex>")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Forget them")
    fake.wait_until(lambda: db.count(AuditEntry, action="member.forget") == 1)
    edits, actions = db.all(ActionEdit), db.all(Action)
    assert "UMGR1" not in str([(e.author, e.changes) for e in edits]) and "Alex" not in str([e.changes for e in edits])
    assert db.one(Action, number=1).milestone is None  # the words Alex wrote into the plan are gone
    assert "UMGR1" not in str([a.responsible_users for a in actions])
    assert edits[0].changes == {"milestone": [None, None]}  # which field changed, not what it said
