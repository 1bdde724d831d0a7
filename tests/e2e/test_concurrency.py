"""Exactly once under concurrency: 16 simultaneous signed requests, as a double (or sixteenfold) click
or submit sends them, make one change and one message, and nobody is shown an error.

Each burst is 16 threads released together by a barrier. A copy differs from the others the way real
repeats do (a fresh trigger id each; a form resubmitted keeps its view id), so the inbox's de-duplication
of identical bodies does not hide the race: the database has to. Every test runs on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL, where the races are real.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from storage.migrate import alembic_config, upgrade
from storage.models import (
    Action,
    AgreementVersion,
    Attendance,
    AuditEntry,
    Contribution,
    GroundRulesVersion,
    Meeting,
    Signature,
    StageCard,
)
from tests.harness import CHANNEL
from tests.standin import FakeSlack, SlackDriver
from tests.standin.transport import Response
from tests.steps import card_text, give_roles, next_stage, posted, set_up_group, start_meeting

N = 16


def together(send: Callable[[int], Response]) -> list[Response]:
    """Send N requests at the same moment (threads held at a barrier); every one gets an answer below 500."""
    barrier = threading.Barrier(N)
    answers: list[Response | BaseException | None] = [None] * N

    def run(i: int) -> None:
        barrier.wait()
        try:
            answers[i] = send(i)
        except BaseException as error:  # noqa: BLE001 - reported below, with the others
            answers[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    got = [a for a in answers if isinstance(a, Response)]
    assert len(got) == N, f"not every request was answered: {answers}"
    assert all(a.status < 500 for a in got), [a.status for a in got]
    assert all(not (a.json or {}).get("errors") for a in got), [a.json for a in got]
    return got


def said_since(fake: FakeSlack, mark: int) -> list[str]:
    """Every text the bot showed anyone since `mark` (messages, ephemerals, response_url answers)."""
    methods = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
    return [str(c.args.get("text") or "") for c in fake.calls[mark:] if c.method in methods]


def no_error_shown(fake: FakeSlack, mark: int) -> None:
    errors = [t for t in said_since(fake, mark) if "reference" in t or "went wrong" in t]
    assert not errors, errors


def private_answers(fake: FakeSlack, mark: int) -> list[str]:
    return [str(c.args.get("text") or "") for c in fake.calls[mark:]
            if c.method in ("chat.postEphemeral", "response_url")]


def card_posts(fake: FakeSlack, mark: int, title: str) -> list[Any]:
    return [c for c in fake.calls[mark:] if c.method == "chat.postMessage" and c.ok
            and title in (c.args.get("text") or "") and not c.args.get("thread_ts")]


@pytest.fixture
def group(bot, driver: SlackDriver, fake: FakeSlack) -> None:
    set_up_group(driver, fake)
    give_roles(driver, fake)


@pytest.fixture
def welcome(group, driver: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    return start_meeting(driver, fake)


def open_form(driver: SlackDriver, fake: FakeSlack, user: str, card: dict[str, Any], button: str) -> dict[str, Any]:
    mark = fake.mark()
    driver.click_button(user, CHANNEL, card["ts"], button)
    fake.wait_for("views.open", after=mark)
    view = fake.last_view(user)
    assert view is not None
    return view


def test_sixteen_meeting_starts_at_once_start_one_meeting(group, driver, fake, db):
    mark = fake.mark()
    together(lambda i: driver.command("UCHAIR", CHANNEL, "/meeting", "start"))
    fake.wait_until(lambda: len(private_answers(fake, mark)) >= N - 1 and card_posts(fake, mark, "Welcome"),
                    message="one card and fifteen answers")
    assert [m.status for m in db.all(Meeting)] == ["running"]
    assert db.count(StageCard) == 1 and len(card_posts(fake, mark, "Welcome")) == 1
    assert all("is already running" in t for t in private_answers(fake, mark))
    assert len([e for e in db.all(AuditEntry) if e.action == "meeting.start" and e.outcome == "ok"]) == 1
    no_error_shown(fake, mark)


def test_a_sixteenfold_click_on_next_moves_one_stage_and_posts_one_card(welcome, driver, fake, db):
    mark = fake.mark()
    together(lambda i: driver.click_button("UCHAIR", CHANNEL, welcome["ts"], "meeting.next_clicked"))
    fake.wait_until(lambda: len(private_answers(fake, mark)) >= N - 1 and card_posts(fake, mark, "Ground rules"),
                    message="one card and fifteen answers")
    assert db.one(Meeting).stage == "ground_rules"
    assert db.count(StageCard, stage="ground_rules") == 1 and len(card_posts(fake, mark, "Ground rules")) == 1
    assert all("nothing was changed" in t or "changed nothing" in t for t in private_answers(fake, mark))
    no_error_shown(fake, mark)


def test_a_sixteenfold_click_on_a_theme_cards_next_moves_one_question(welcome, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto themes")
    card = posted(fake, "working well", after=mark)
    mark = fake.mark()
    together(lambda i: driver.click_button("UCHAIR", CHANNEL, card["ts"], "meeting.next_clicked"))
    fake.wait_until(lambda: len(private_answers(fake, mark)) >= N - 1 and card_posts(fake, mark, "at its best"),
                    message="one card and fifteen answers")
    assert db.one(Meeting).theme_step == 1
    assert len(card_posts(fake, mark, "at its best")) == 1 and db.count(StageCard, stage="themes") == 2
    no_error_shown(fake, mark)


def test_sixteen_next_commands_at_once_move_one_stage(welcome, driver, fake, db):
    """A typed command carries no card, so it acts on the meeting as it finds it: of the copies that read
    the same stage one moves (compare-and-set) and the others hear the meeting moved on; a copy handled
    after the move meets the ground rules stage, whose `next` asks the chair first and moves nothing."""
    mark = fake.mark()
    together(lambda i: driver.command("UCHAIR", CHANNEL, "/meeting", "next"))
    fake.wait_until(lambda: len(private_answers(fake, mark)) >= N - 1 and card_posts(fake, mark, "Ground rules"),
                    message="one card and fifteen answers")
    assert db.one(Meeting).stage == "ground_rules"
    assert db.count(StageCard) == 2 and len(card_posts(fake, mark, "Ground rules")) == 1
    assert all("moved on" in t or "have not been adopted yet" in t for t in private_answers(fake, mark))
    no_error_shown(fake, mark)


def test_ground_rules_submitted_sixteen_times_are_adopted_once(welcome, driver, fake, db):
    rules_card = next_stage(driver, fake, "Ground rules")
    view = open_form(driver, fake, "UCHAIR", rules_card, "Adopt ground rules")
    mark = fake.mark()
    together(lambda i: driver.submit_view("UCHAIR", view, {"text": "No blame\nPhones away"}))
    posted(fake, "Ground rules · version 1", after=mark)
    assert [r.rules for r in db.all(GroundRulesVersion)] == [["No blame", "Phones away"]]
    assert len([c for c in card_posts(fake, mark, "Ground rules · version")]) == 1
    no_error_shown(fake, mark)


def test_an_agreement_submitted_sixteen_times_is_published_once(welcome, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto agreement")
    card = posted(fake, "Partnership agreement", after=mark)
    view = open_form(driver, fake, "UCHAIR", card, "Write up the agreement")
    mark = fake.mark()
    together(lambda i: driver.submit_view("UCHAIR", view, {"text": "We share information early."}))
    published = posted(fake, "Partnership agreement · version 1", after=mark)
    fake.wait_until(lambda: db.one(AgreementVersion).message_ts == published["ts"])
    assert len(card_posts(fake, mark, "Partnership agreement · version")) == 1
    no_error_shown(fake, mark)


def test_sixteen_signatures_at_once_sign_once_and_say_so_truthfully(welcome, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto agreement")
    card = posted(fake, "Partnership agreement", after=mark)
    view = open_form(driver, fake, "UCHAIR", card, "Write up the agreement")
    mark = fake.mark()
    driver.submit_view("UCHAIR", view, {"text": "We share information early."})
    published = posted(fake, "Partnership agreement · version 1", after=mark)
    fake.wait_until(lambda: db.one(AgreementVersion).message_ts == published["ts"])
    mark = fake.mark()
    together(lambda i: driver.click_button("UMGR1", CHANNEL, published["ts"], "Sign the agreement"))
    fake.wait_until(lambda: len(private_answers(fake, mark)) >= N, message="an answer to every click")
    answers = private_answers(fake, mark)
    assert db.count(Signature) == 1
    assert len([t for t in answers if "you have signed version 1" in t]) == 1
    assert len([t for t in answers if "signed version 1 already" in t]) == N - 1
    fake.wait_until(lambda: "Signed (1)" in card_text(fake, published))
    no_error_shown(fake, mark)


@pytest.mark.parametrize("feeling", ["", "Hopeful"])
def test_a_check_in_form_submitted_sixteen_times_records_one_attendance(welcome, driver, fake, db, feeling):
    view = open_form(driver, fake, "UMGR2", welcome, "I'm here")
    mark = fake.mark()
    together(lambda i: driver.submit_view("UMGR2", view, {"feeling": feeling}))
    fake.wait_until(lambda: "1 here" in card_text(fake, welcome), message="the card shows one person here")
    assert [(a.user_id, a.status) for a in db.all(Attendance)] == [("UMGR2", "present")]
    assert db.count(Contribution) == (1 if feeling else 0)
    no_error_shown(fake, mark)


def test_a_contribution_form_submitted_sixteen_times_makes_one_contribution(welcome, driver, fake, db):
    rules_card = next_stage(driver, fake, "Ground rules")
    view = open_form(driver, fake, "UNHS", rules_card, "Propose a rule")
    mark = fake.mark()
    together(lambda i: driver.submit_view("UNHS", view, {"text": "Phones away"}))
    fake.wait_until(lambda: "1 proposal from 1 person" in card_text(fake, rules_card))
    assert [c.text for c in db.all(Contribution)] == ["Phones away"]
    no_error_shown(fake, mark)


def test_an_add_action_form_submitted_sixteen_times_adds_one_action(welcome, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "add")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view("UCHAIR")
    mark = fake.mark()
    together(lambda i: driver.submit_view("UCHAIR", view, {"description": "Invite the ambulance service",
                                                           "owner": "UNHS"}))
    fake.wait_for(lambda c: c.method == "chat.postMessage" and "A-1" in (c.args.get("text") or ""), after=mark)
    assert [(a.number, a.description) for a in db.all(Action)] == [(1, "Invite the ambulance service")]
    assert len([t for t in said_since(fake, mark) if "A-1" in t and "ambulance" in t]) <= 2  # channel post + DM
    no_error_shown(fake, mark)


def test_the_migration_ends_all_but_the_newest_running_meeting_of_a_group(engine):
    """Databases written before the index may hold two running meetings of a group: 0007 must still apply."""
    command.downgrade(alembic_config(engine), "0006")  # as the database was before the index
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO groups (id, team_id, channel_id, name, theme_set, timezone, created_by, "
                          "created_at) VALUES (1, 'T', 'C', 'G', 'my_home_life', 'Europe/London', 'U', "
                          "'2026-11-01 10:00:00')"))
        for number in (1, 2):
            conn.execute(text(
                "INSERT INTO meetings (group_id, number, status, stage, is_follow_up, started_by, started_at, "
                f"theme_step) VALUES (1, {number}, 'running', 'check_in', false, 'U', '2026-11-0{number} 10:00', 0)"))
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT number, status FROM meetings ORDER BY number")).all()
    assert [tuple(r) for r in rows] == [(1, "ended"), (2, "running")]


def test_a_weekly_check_in_submitted_sixteen_times_is_saved_once(checkin_group, driver, fake, db):
    from storage.models import CheckinAnswer, CheckinAnswerVersion

    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/checkin", "")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view("UMGR1")
    assert view is not None
    mark = fake.mark()
    together(lambda i: driver.submit_view("UMGR1", view, {"answer_working_well": "New activities coordinator"}))
    fake.wait_for(lambda c: c.method == "chat.postMessage" and "is saved" in (c.args.get("text") or ""), after=mark)
    [saved] = db.all(CheckinAnswer, user_id="UMGR1")
    assert saved.answers["working_well"]["text"] == "New activities coordinator" and saved.version == 1
    assert db.count(CheckinAnswerVersion) == 1
    no_error_shown(fake, mark)


def test_the_same_actions_add_delivered_sixteen_times_adds_one_action(welcome, driver, fake, db):
    """Identical bodies (a proxy or client re-sending one request): the inbox keeps one, the rest are 200s."""
    import urllib.parse

    fields = {"team_id": fake.ws.team_id, "channel_id": CHANNEL, "user_id": "UCHAIR", "user_name": "sam",
              "command": "/actions", "text": "add Ask the GP practice about ward rounds owner <@UNHS>",
              "api_app_id": fake.ws.app_id, "response_url": fake.new_response_url(CHANNEL, "UCHAIR"),
              "trigger_id": fake.issue_trigger("UCHAIR")}
    body = urllib.parse.urlencode(fields)
    mark = fake.mark()
    answers = together(lambda i: driver.send(body, "application/x-www-form-urlencoded"))
    assert all(a.status == 200 for a in answers)
    fake.wait_for(lambda c: c.method == "chat.postMessage" and "A-1" in (c.args.get("text") or ""), after=mark)
    assert [a.description for a in db.all(Action)] == ["Ask the GP practice about ward rounds"]
    no_error_shown(fake, mark)
