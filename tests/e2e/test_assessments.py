"""The homes' self-assessment (issue 15): a round for three managers through signed requests and the
stand-in, a manager who saves part and finishes later, one reminder for the one who never answers, and a
second round a quarter later that is kept beside the first, never over it."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from bot.domain.roles import Role
from handlers.jobs import send_due
from storage.models import Assessment, AssessmentRound, AuditEntry, Delivery
from tests.checkin_steps import at
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, set_up_group

INVITE = "assess where it stands"
REMINDER = "is waiting for your home's self-assessment"
THEMES = 8


def group_with_three_managers(driver, fake) -> None:  # type: ignore[no-untyped-def]
    set_up_group(driver, fake)
    give_roles(driver, fake)  # UMGR1 and UMGR2 manage homes
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", 'role <@UCQC> manager organisation "Peckham Rye House"')
    assert "is now *manager*" in ephemeral_to(fake, "UCHAIR", mark)


def dms(fake, user: str, containing: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [m for m in fake.dms(user) if containing in (m.get("text") or "")]


def full(level: int, themes: range = range(THEMES)) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in themes:
        out |= {f"assess_level_{i}": str(level), f"assess_evidence_{i}": f"Residents' meeting notes, theme {i}",
                f"assess_who_{i}": "March 2027: the manager, two residents, a relative and the deputy"}
    return out


def open_from_dm(driver, fake, user: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    mark = fake.mark()
    dm = [m for m in fake.dms(user) if m.get("blocks")][-1]
    driver.click_button(user, fake.dm_channel(user), dm["ts"], "Open the self-assessment")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view(user)
    assert view is not None
    return view


def submit(driver, fake, user: str, view: dict[str, Any], values: dict[str, Any], saying: str) -> None:  # type: ignore[no-untyped-def]
    mark = fake.mark()
    response = driver.submit_view(user, view, values)
    assert response.status == 200 and not (response.json or {}).get("errors"), response.body
    fake.wait_for(lambda c: c.method == "chat.postMessage" and saying in (c.args.get("text") or ""), after=mark)


def tick(bot) -> int:  # type: ignore[no-untyped-def]
    return send_due(bot.bundle.app.client, bot.bundle.deps)


def test_a_round_for_three_homes_then_a_second_round_a_quarter_later(bot, driver, fake, db, clock) -> None:  # type: ignore[no-untyped-def]
    at(clock, 2027, 1, 4, 9, 0)
    group_with_three_managers(driver, fake)

    # Only a chair opens a round; the refusal is audited and changes nothing.
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/assess", "round")
    assert "chair" in ephemeral_to(fake, "UMGR1", mark).lower()
    assert db.count(AssessmentRound) == 0
    assert db.count(AuditEntry, action="assess.round", outcome="refused", actor="UMGR1") == 1

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/assess", "round")
    assert "3 managers are" in ephemeral_to(fake, "UCHAIR", mark)
    for user in ("UMGR1", "UMGR2", "UCQC"):
        fake.wait_until(lambda u=user: dms(fake, u, INVITE), message=f"the round's DM to {user}")
    assert not dms(fake, "UNHS", INVITE) and not dms(fake, "UCHAIR", INVITE)
    # The DM reaches Slack just before the bot records it as sent.
    fake.wait_until(lambda: db.count(Delivery, kind="assessment_invite", status="sent") == 3,
                    message="three invitations recorded as sent")

    # The invitation's form says who sees what is written in it.
    view = open_from_dm(driver, fake, "UMGR1")
    shown = str(view["blocks"])
    assert "chair and co-chairs" in shown and "no home named" in shown and "Transition" in shown
    submit(driver, fake, "UMGR1", view, full(2), "is complete")

    # UMGR2 saves three themes, then finishes later from the channel: the form opens with what was saved.
    view = open_from_dm(driver, fake, "UMGR2")
    submit(driver, fake, "UMGR2", view, full(3, range(3)), "3 of 8 themes")
    draft = db.one(Assessment, user_id="UMGR2")
    assert draft.completed_at is None and draft.answers["Transition"]["level"] == 3
    mark = fake.mark()
    driver.command("UMGR2", CHANNEL, "/assess", "")
    fake.wait_for("views.open", after=mark)
    again = fake.last_view("UMGR2")
    assert again is not None and "Residents' meeting notes, theme 0" in str(again["blocks"])
    submit(driver, fake, "UMGR2", again, full(3, range(3, THEMES)), "is complete")
    done = db.one(Assessment, user_id="UMGR2")
    assert done.completed_at is not None and done.answers["Transition"]["level"] == 3
    assert done.answers["End of life care"]["evidence"].startswith("Residents' meeting notes")

    # A week later only UCQC, who never answered, is reminded: once.
    at(clock, 2027, 1, 11, 9, 1)
    tick(bot)
    tick(bot)
    assert len(dms(fake, "UCQC", REMINDER)) == 1
    assert not dms(fake, "UMGR1", REMINDER) and not dms(fake, "UMGR2", REMINDER)
    assert db.count(Delivery, kind="assessment_reminder", status="cancelled") == 2
    assert db.count(Assessment, user_id="UCQC") == 0

    # A quarter later: a new round, UMGR1 moves up a level; the first assessment is kept as it was.
    at(clock, 2027, 4, 5, 9, 0)
    mark = fake.mark()
    driver.command("UCOCHAIR", CHANNEL, "/assess", "round")
    assert "3 managers are" in ephemeral_to(fake, "UCOCHAIR", mark)
    fake.wait_until(lambda: len(dms(fake, "UMGR1", INVITE)) == 2, message="the second round's DM")
    view = open_from_dm(driver, fake, "UMGR1")
    assert "last completed assessment was on 4 January 2027" in str(view["blocks"])
    submit(driver, fake, "UMGR1", view, full(3), "is complete")
    mine = db.all(Assessment, user_id="UMGR1")
    assert [a.answers["Choice and control"]["level"] for a in mine] == [2, 3]
    assert [a.completed_at.date().isoformat() for a in mine] == ["2027-01-04", "2027-04-05"]
    assert db.count(AuditEntry, action="assess.save", outcome="ok") == 4
    progress_is_shown(driver, fake, db)


def progress_is_shown(driver, fake, db) -> None:  # type: ignore[no-untyped-def]
    """After two rounds: UMGR1 went 2 -> 3, UMGR2 is at 3, UCQC never answered."""
    # A chair sees every home, named, and the spread of the homes' latest levels (two homes at 3).
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/assess", "progress")
    table = ephemeral_to(fake, "UCHAIR", mark)
    assert "Tower Bridge Care Home" in table and "Bermondsey Lodge" in table
    transition = next(line for line in table.splitlines() if line.startswith("Transition"))
    assert transition.split() == ["Transition", "2→3", "3", "0/0/2/0"]
    upload = fake.wait_until(lambda: fake.files(), timeout=30, message="the chart uploaded")[-1]
    assert upload["channel"] == fake.dm_channel("UCHAIR") and upload["name"] == "assessment-levels.png"
    image = Image.open(io.BytesIO(upload["content"]))
    image.verify()
    assert image.format == "PNG" and image.size[0] >= 800
    # A manager sees their own home only; a member sees none (refused, audited).
    mark = fake.mark()
    driver.command("UMGR2", CHANNEL, "/assess", "progress")
    mine = ephemeral_to(fake, "UMGR2", mark)
    assert "Bermondsey Lodge" in mine and "Tower Bridge" not in mine and "0/0/2/0" not in mine
    mark = fake.mark()
    driver.command("UNHS", CHANNEL, "/assess", "progress")
    assert "chair and co-chairs" in ephemeral_to(fake, "UNHS", mark)
    assert db.count(AuditEntry, action="assess.progress", outcome="refused", actor="UNHS") == 1
    # App Home shows the same table: the chair's whole group, the manager's own home.
    for user, shown, hidden in (("UCHAIR", "Bermondsey Lodge", None), ("UMGR1", "Tower Bridge", "Bermondsey")):
        mark = fake.mark()
        driver.app_home_opened(user)
        fake.wait_for("views.publish", after=mark, user_id=user)
        home = str((fake.home_view(user) or {}).get("blocks"))
        assert "levels per theme" in home and shown in home
        assert hidden is None or hidden not in home


def test_assess_is_for_managers_and_answers_help(bot, driver, fake, db, clock) -> None:  # type: ignore[no-untyped-def]
    group_with_three_managers(driver, fake)
    mark = fake.mark()
    driver.command("UNHS", CHANNEL, "/assess", "")
    assert "for the group's care-home managers" in ephemeral_to(fake, "UNHS", mark)
    assert db.count(AuditEntry, action="assess.open", outcome="refused", actor="UNHS") == 1
    assert db.count(Assessment) == 0
    mark = fake.mark()
    driver.command("UNHS", CHANNEL, "/assess", "help")
    assert "/assess round" in ephemeral_to(fake, "UNHS", mark)
    mark = fake.mark()
    driver.command("UMGR1", fake.dm_channel("UMGR1"), "/assess", "")  # in a DM: their home's group
    fake.wait_for("views.open", after=mark)
    assert "Tower Bridge Care Home" in str(fake.last_view("UMGR1"))
    assert Role.MANAGER.value == "manager"


CHECK = "Three months ago you made a forward plan"


def plan_values(**extra: Any) -> dict[str, Any]:
    return {"plan_theme": "Co-production", "plan_achieve": "Residents and families shape the menu and activities",
            "plan_why_now": "Our last survey said people feel unheard",
            "plan_first_step": "Set up a monthly residents' and relatives' forum",
            "plan_lead": "The deputy manager", "plan_involved": "Residents, relatives, the activities team",
            "plan_in_3_months": "Three forums held, with two changes made from them",
            "plan_complete": "A standing forum that decides part of the budget",
            "plan_informed": "A notice board and a monthly letter", **extra}


def test_a_forward_plan_becomes_an_action_and_is_checked_three_months_on(bot, driver, fake, db, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from storage.models import Action, ForwardPlan

    at(clock, 2027, 1, 4, 9, 0)
    group_with_three_managers(driver, fake)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/assess", "")
    fake.wait_for("views.open", after=mark)
    submit(driver, fake, "UMGR1", fake.last_view("UMGR1"), full(2), "is complete")

    # "Take the challenge" under the completion message opens the forward plan.
    mark = fake.mark()
    done = [m for m in fake.dms("UMGR1") if "Take the challenge" in str(m.get("blocks"))][-1]
    driver.click_button("UMGR1", fake.dm_channel("UMGR1"), done["ts"], "Take the challenge")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view("UMGR1")
    assert view is not None and "chair and co-chairs" in str(view["blocks"])

    # Ticking "add to the action plan" without a date is refused in the form, and nothing is stored.
    response = driver.submit_view("UMGR1", view, plan_values(plan_add_action=["yes"]))
    assert "by when" in str((response.json or {}).get("errors")), response.body
    assert db.count(ForwardPlan) == 0 and db.count(Action) == 0

    mark = fake.mark()
    response = driver.submit_view("UMGR1", view, plan_values(plan_add_action=["yes"], plan_owner="UMGR1",
                                                             plan_due="2027-02-15"))
    assert response.status == 200 and not (response.json or {}).get("errors"), response.body
    fake.wait_for(lambda c: c.method == "chat.postMessage" and "is saved" in (c.args.get("text") or ""), after=mark)
    plan = db.one(ForwardPlan)
    action = db.one(Action)
    assert plan.action_id == action.id and plan.theme == "Co-production"
    assert action.description == "Set up a monthly residents' and relatives' forum"
    assert action.owner_id == "UMGR1" and action.due_date == date(2027, 2, 15)
    assert plan.check_on == date(2027, 4, 4)

    # The check goes at 09:00 London time (08:00 UTC in April, summer time), once.
    at(clock, 2027, 4, 4, 7, 59)
    tick(bot)
    assert not dms(fake, "UMGR1", CHECK)
    at(clock, 2027, 4, 4, 8, 0)
    tick(bot)
    tick(bot)
    at(clock, 2027, 4, 5, 8, 0)
    tick(bot)
    checks = dms(fake, "UMGR1", CHECK)
    assert len(checks) == 1 and "Three forums held" in checks[0]["text"]
    assert db.count(Delivery, kind="plan_check", status="sent") == 1

    mark = fake.mark()
    driver.click_button("UMGR1", fake.dm_channel("UMGR1"), checks[0]["ts"], "Answer")
    fake.wait_for("views.open", after=mark)
    check = fake.last_view("UMGR1")
    response = driver.submit_view("UMGR1", check, {"plan_seen": "partly", "plan_note": "Two forums so far"})
    assert response.status == 200 and not (response.json or {}).get("errors"), response.body
    fake.wait_until(lambda: db.one(ForwardPlan).checked_at is not None, message="the check's answer kept")
    assert db.one(ForwardPlan).check_answer == {"seen": "partly", "note": "Two forums so far"}


def test_the_meeting_theme_card_opens_with_the_homes_levels_naming_no_home(bot, driver, fake, db, clock) -> None:  # type: ignore[no-untyped-def]
    from tests.steps import next_stage, posted, reply, start_meeting

    at(clock, 2027, 1, 4, 9, 0)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "setup")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"name": "Southwark Care Home Strategy Group",
                                                           "co_chairs": ["UCOCHAIR"], "theme_set": "personalisation"})
    posted(fake, "is set up in this channel", after=mark)
    give_roles(driver, fake)
    for user, level in (("UMGR1", 2), ("UMGR2", 3)):
        mark = fake.mark()
        driver.command(user, CHANNEL, "/assess", "")
        fake.wait_for("views.open", after=mark)
        submit(driver, fake, user, fake.last_view(user), full(level), "is complete")

    card = start_meeting(driver, fake)
    reply(driver, fake, "UMGR1", card, "Here, feeling good")
    rules = next_stage(driver, fake, "Ground rules")
    reply(driver, fake, "UMGR1", rules, "No blame")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    agreement = posted(fake, "Partnership agreement", after=mark)
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, agreement["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"text": "We work as equal partners."})
    posted(fake, "Partnership agreement · version 1", after=mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "themes transition, co-production")
    posted(fake, "This meeting will cover 2 themes", after=mark)
    theme_card = next_stage(driver, fake, "Themes: Transition")
    from tests.steps import card_text

    shown = card_text(fake, theme_card)
    assert "level 1: 0 · level 2: 1 · level 3: 1 · level 4: 0" in shown
    assert "Tower Bridge" not in shown and "Bermondsey" not in shown


def test_my_data_holds_my_assessments_and_plans_and_forget_removes_my_words(bot, driver, fake, db, clock) -> None:  # type: ignore[no-untyped-def]
    import json

    from storage.models import ForwardPlan

    at(clock, 2027, 1, 4, 9, 0)
    group_with_three_managers(driver, fake)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/assess", "")
    fake.wait_for("views.open", after=mark)
    values = full(2) | {"assess_evidence_0": "evidenceTOKEN from the residents' survey"}
    submit(driver, fake, "UMGR1", fake.last_view("UMGR1"), values, "is complete")
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/assess", "plan")
    fake.wait_for("views.open", after=mark)
    response = driver.submit_view("UMGR1", fake.last_view("UMGR1"),
                                  plan_values(plan_achieve="planTOKEN: a residents' forum"))
    assert response.status == 200 and not (response.json or {}).get("errors"), response.body
    fake.wait_until(lambda: db.count(ForwardPlan) == 1, message="the plan stored")

    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/group", "my data")
    fake.wait_for("files.completeUploadExternal", after=mark)
    fake.wait_until(lambda: len(fake.files()) >= 2, message="both files of my data")
    by_kind = {f["name"].rsplit(".", 1)[1]: f["content"].decode() for f in fake.files()}
    group = json.loads(by_kind["json"])["groups"][0]
    assert group["self_assessments"][0]["answers"]["Transition"]["evidence"].startswith("evidenceTOKEN")
    assert group["forward_plans"][0]["answers"]["achieve"].startswith("planTOKEN")
    assert "evidenceTOKEN" in by_kind["md"] and "planTOKEN" in by_kind["md"]

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "forget <@UMGR1>")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Forget them")
    fake.wait_until(lambda: db.count(AuditEntry, action="member.forget", outcome="ok") == 1)
    [kept] = db.all(Assessment)
    assert kept.user_id != "UMGR1" and kept.home != "Tower Bridge Care Home"
    assert kept.answers["Transition"] == {"level": 2, "evidence": "", "who": ""}  # the level stays for the spread
    [plan] = db.all(ForwardPlan)
    assert plan.user_id != "UMGR1" and plan.answers == {}
