"""App Home: what waits for each person (actions, signatures, check-ins), each group's next meeting, the
chair's view at a glance, and a friendly empty state for someone in no group."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from storage.models import Action, ActionUpdate, CheckinAnswer, Group, Signature
from tests.checkin_steps import at, chair_says
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, posted, set_up_group, start_meeting


def _text(node) -> str:
    if isinstance(node, dict):
        return " ".join(_text(v) for k, v in node.items() if k in ("text", "elements", "fields", "accessory"))
    if isinstance(node, list):
        return " ".join(_text(v) for v in node)
    return node if isinstance(node, str) else ""


def _home_text(fake, user):
    return _text((fake.home_view(user) or {}).get("blocks", []))


def open_home(driver, fake, user: str) -> str:
    """The person opens the Home tab; wait for the bot to draw it and return everything it shows."""
    mark = fake.mark()
    driver.app_home_opened(user)
    fake.wait_for("views.publish", after=mark, user_id=user)
    return _home_text(fake, user)


def add_action(driver, fake, text: str, owner: str, due: str | None = None) -> None:
    """The chair adds an action; the owner's Home is redrawn with it."""
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", f"add {text} owner <@{owner}>" + (f" due {due}" if due else ""))
    fake.wait_for("views.publish", after=mark, user_id=owner)


def publish_agreement(driver, fake) -> dict:
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto agreement")
    card = posted(fake, "Partnership agreement", after=mark)
    driver.click_button("UCHAIR", CHANNEL, card["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"text": "We listen, and we follow through."})
    return posted(fake, "Partnership agreement · version 1", after=mark)


def role(driver, fake, user: str, what: str) -> None:
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", f"role <@{user}> {what}")
    assert f"is now *{what.split()[0]}*" in ephemeral_to(fake, "UCHAIR", mark)


def next_meeting(db, when: datetime) -> None:
    # `/meeting schedule` sets this column; here the test sets it directly.
    with db.session() as s:
        s.execute(update(Group).values(next_meeting_at=when))
        s.commit()


def test_an_absent_member_signs_the_agreement_from_app_home(bot, driver, fake, db):
    set_up_group(driver, fake)
    driver.command("UCHAIR", CHANNEL, "/group", "role <@UHW> member organisation Healthwatch")
    published = publish_agreement(driver, fake)

    shown = open_home(driver, fake, "UHW")
    assert "Southwark Care Home Strategy Group" in shown and "waiting for your signature" in shown
    assert "We listen, and we follow through." in shown

    mark = fake.mark()
    driver.click_home_button("UHW", "Sign the agreement")
    fake.wait_for("views.publish", after=mark, user_id="UHW")
    assert db.one(Signature).user_id == "UHW"
    assert "waiting for your signature" not in _home_text(fake, "UHW")
    fake.wait_until(lambda: "Signed (1):* Grace Lee" in card_text(fake, published))
    fake.wait_until(lambda: any("you have signed version 1" in (m.get("text") or "") for m in fake.dms("UHW")))


def test_a_member_reports_back_from_home_and_sees_the_next_meeting_in_local_time(bot, driver, fake, db):
    set_up_group(driver, fake)
    role(driver, fake, "UHW", "member organisation Healthwatch")
    add_action(driver, fake, "Visit three homes with residents' families", "UHW", "2026-12-18")
    add_action(driver, fake, "Ask the GP surgery about weekly rounds", "UHW")
    publish_agreement(driver, fake)
    next_meeting(db, datetime(2027, 6, 8, 9, 0, tzinfo=UTC))  # 10:00 in London (summer time)

    shown = open_home(driver, fake, "UHW")
    waiting, groups = shown.split("Your groups")
    assert "Your open actions (2)" in waiting and "Visit three homes" in waiting and "due Fri 18 December" in waiting
    assert "waiting for your signature" in waiting and "We listen, and we follow through." in waiting
    assert "Next meeting: Tuesday 8 June at 10:00" in groups and "At a glance" not in groups
    assert "Meeting 1 is running: Partnership agreement" in groups

    a1 = db.one(Action, number=1)
    mark = fake.mark()
    driver.click_home_button("UHW", "Report back", value=str(a1.id))  # no channel in a Home click
    fake.wait_for("views.open", after=mark)
    form = fake.last_view("UHW")
    assert "A-1" in str(form["blocks"])
    mark = fake.mark()
    assert driver.submit_view("UHW", form, {"status": "done", "note": "All three visited"}).status == 200
    fake.wait_for("views.publish", after=mark, user_id="UHW")
    assert db.one(ActionUpdate).new_status == "done"
    shown = _home_text(fake, "UHW")
    assert "Your open actions (1)" in shown and "Visit three homes" not in shown and "GP surgery" in shown

    mark = fake.mark()  # reporting by command redraws Home too
    driver.command("UHW", CHANNEL, "/actions", "report A-2 in progress Rang them")
    fake.wait_for("views.publish", after=mark, user_id="UHW")
    assert "in progress" in _home_text(fake, "UHW")

    next_meeting(db, datetime(2026, 11, 1, 9, 0, tzinfo=UTC))  # in the past: not a next meeting
    shown = open_home(driver, fake, "UHW")
    assert "Next meeting: not scheduled yet — the chair can set it with `/meeting schedule`" in shown


def test_a_chair_sees_each_group_at_a_glance(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    role(driver, fake, "UMGR1", "manager organisation Tower Bridge Care Home")
    role(driver, fake, "UHW", "member organisation Healthwatch")
    add_action(driver, fake, "Write the welcome pack", "UMGR1", "2026-11-30")
    add_action(driver, fake, "Map GP cover", "UHW", "2026-12-18")
    add_action(driver, fake, "Share the falls leaflet", "UHW")
    published = publish_agreement(driver, fake)
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, published["ts"], "Sign the agreement")
    assert "you have signed version 1" in ephemeral_to(fake, "UCHAIR", mark)
    assert "going out to 1 manager" in chair_says(driver, fake, "send")
    mark = fake.mark()
    driver.command("UHW", CHANNEL, "/actions", "report A-3 done Leaflet in every home")
    posted(fake, "A-3* is now _done_", after=mark)

    shown = open_home(driver, fake, "UCHAIR")
    glance = shown.split("At a glance")[1]
    assert "Actions: 2 open · 1 done" in glance and "overdue" not in glance
    assert "Agreement version 1: 3 of 4 still to sign" in glance
    assert all(name in glance for name in ("Priya Shah", "Alex Morgan", "Grace Lee"))
    assert "Sam Okafor" not in glance
    assert "This week's check-in: 0 of 1 answered" in glance
    assert "not scheduled yet — set it with `/meeting schedule`" in shown
    assert "At a glance" in open_home(driver, fake, "UCOCHAIR")  # co-chairs too
    assert "At a glance" not in open_home(driver, fake, "UMGR1")

    at(clock, 2026, 12, 1, 10, 0)  # A-1 (due 30 November) is now overdue, in the group's time zone
    assert "Actions: 2 open (:warning: 1 overdue) · 1 done" in open_home(driver, fake, "UCHAIR")
    at(clock, 2026, 12, 19, 0, 30)
    assert "Actions: 2 open (:warning: 2 overdue) · 1 done" in open_home(driver, fake, "UCHAIR")


def test_a_manager_answers_this_weeks_check_in_from_home(checkin_group, bot, driver, fake, db):
    assert "Nothing is waiting for you" in open_home(driver, fake, "UMGR1")  # not sent yet
    assert "going out to 4 managers" in chair_says(driver, fake, "send")

    shown = open_home(driver, fake, "UMGR1")
    assert "this week's check-in (week of 23 November 2026) is waiting for your answers" in shown
    mark = fake.mark()
    driver.click_home_button("UMGR1", "Answer check-in")
    fake.wait_for("views.open", after=mark)
    mark = fake.mark()
    answer = driver.submit_view("UMGR1", fake.last_view("UMGR1"), {"answer_working_well": "New activities room"})
    assert answer.status == 200 and not (answer.json or {}).get("errors")
    fake.wait_for("views.publish", after=mark, user_id="UMGR1")
    assert db.count(CheckinAnswer) == 1
    shown = _home_text(fake, "UMGR1")
    assert "waiting for your answers" not in shown and "Nothing is waiting for you" in shown
    assert "This week's check-in: 1 of 4 answered" in open_home(driver, fake, "UCHAIR")


def test_a_failed_home_redraw_never_fails_the_signature(bot, driver, fake, db):
    set_up_group(driver, fake)
    role(driver, fake, "UHW", "member organisation Healthwatch")
    publish_agreement(driver, fake)
    open_home(driver, fake, "UHW")
    fake.fail("views.publish", status=200, error="internal_error")
    mark = fake.mark()
    driver.click_home_button("UHW", "Sign the agreement")
    fake.wait_until(lambda: any("you have signed version 1" in (m.get("text") or "") for m in fake.dms("UHW")))
    assert db.one(Signature).user_id == "UHW"
    assert not fake.wait_for("views.publish", after=mark, user_id="UHW").ok  # the redraw failed ...
    assert not any("reference" in (m.get("text") or "") for m in fake.dms("UHW"))  # ... and nobody was told off


def test_someone_in_no_group_sees_how_they_will_get_one(bot, driver, fake):
    assert "not in a Care Home Strategy Group yet" in open_home(driver, fake, "UOUTSIDER")
