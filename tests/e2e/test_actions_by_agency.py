"""`/actions by agency`: each lead organisation's actions with counts, and the actions waiting on an agency
that is not in the group, with the volunteer and whether the agency has joined since."""

from __future__ import annotations

from datetime import date

from bot.services.action_plan import actions_by_agency
from storage.db import make_session_factory
from storage.models import Action, AuditEntry
from storage.uow import UnitOfWork
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, posted, set_up_group


def add_by_form(driver, fake, values):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "add")
    fake.wait_for("views.open", after=mark)
    answer = driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), values)
    assert answer.status == 200, answer.body
    posted(fake, values["description"][:20], after=mark)


def add(driver, fake, text):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", f"add {text}")
    posted(fake, text.split(" owner ")[0], after=mark)


def test_actions_grouped_by_lead_organisation_with_waiting_agencies(bot, driver, fake, db, engine, clock):
    set_up_group(driver, fake)
    give_roles(driver, fake)  # UNHS is "NHS South East London"; nobody is from the Fire Service or Age UK
    add(driver, fake, 'Falls workshop owner <@UMGR1> agency "NHS South East London" due 2026-12-18')
    add(driver, fake, 'Medicines review owner <@UMGR2> agency "nhs  south east london" due 2026-12-01')
    add(driver, fake, "Welcome pack owner <@UMGR1>")
    add_by_form(driver, fake, {"description": "Fire safety visits to every home", "owner": "UMGR2",
                               "agency": "Fire Service", "agency_absent": ["absent"], "volunteer": "UHW"})
    add_by_form(driver, fake, {"description": "Befriending scheme with volunteers", "owner": "UMGR1",
                               "agency": "Age UK", "agency_absent": ["absent"], "volunteer": "UCQC"})
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "report A-1 done Held on 10 December")
    posted(fake, "A-1* is now _done_", after=mark)
    fake.wait_until(lambda: "recorded as done" in str(fake.ephemerals("UCHAIR")[-1].get("text")))
    # Age UK has joined since: a member now has that organisation.
    fake.add_member(CHANNEL, "UOUTSIDER")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", 'role <@UOUTSIDER> member organisation "Age UK"')
    fake.wait_until(lambda: "is now *member*" in str(fake.ephemerals("UCHAIR")[-1].get("text")))
    clock.advance(days=14)  # 7 December: A-2 (due 1 December) is overdue

    mark = fake.mark()
    driver.command("UMGR2", CHANNEL, "/actions", "by agency")
    text = ephemeral_to(fake, "UMGR2", mark)
    shown = str(fake.ephemerals("UMGR2")[-1]["blocks"])
    assert "actions by lead organisation" in text
    assert "*NHS South East London*: 1 open · 1 overdue · 1 done" in shown  # two spellings, one agency
    assert "*Fire Service* _(not in the group)_: 1 open · 0 overdue · 0 done" in shown
    assert "*No lead organisation*: 1 open" in shown
    assert "Waiting on an agency not in the group" in shown
    assert "*A-4* Fire Service: Grace Lee to invite them · not joined yet" in shown
    assert "*A-5* Age UK: Tom Reilly to invite them · :white_check_mark: they have joined since" in shown
    assert shown.index("Age UK") < shown.index("Fire Service") < shown.index("NHS South East London")

    # The same grouping, as the export reads it: frozen snapshots from the service.
    by = actions_by_agency(UnitOfWork(make_session_factory(engine)), group_id=db.all(Action)[0].group_id,
                           now=clock.now())
    assert [(g.agency, [a.ref for a in g.actions], g.open, g.overdue, g.done, g.in_group) for g in by.agencies] == [
        ("Age UK", ["A-5"], 1, 0, 0, True), ("Fire Service", ["A-4"], 1, 0, 0, False),
        ("NHS South East London", ["A-1", "A-2"], 1, 1, 1, True), (None, ["A-3"], 1, 0, 0, False)]
    assert [(w.action.ref, w.volunteer_id, w.joined) for w in by.waiting] == [("A-4", "UHW", False),
                                                                              ("A-5", "UCQC", True)]
    assert by.today == date(2026, 12, 7)


def test_someone_outside_the_group_cannot_read_it_and_is_audited(bot, driver, fake, db):
    set_up_group(driver, fake)
    fake.add_channel("COTHER", "elsewhere", ["UOUTSIDER"])
    mark = fake.mark()
    driver.command("UOUTSIDER", CHANNEL, "/actions", "by agency")
    assert "Only members of this group" in ephemeral_to(fake, "UOUTSIDER", mark)
    assert [(e.actor, e.action) for e in db.all(AuditEntry, outcome="refused")] == [("UOUTSIDER", "actions.by_agency")]
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "by theme")
    assert "Use `/actions by agency`" in ephemeral_to(fake, "UCHAIR", mark)
