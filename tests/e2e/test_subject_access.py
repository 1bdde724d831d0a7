"""`/group my data`: a member of two groups gets, by DM, a file of everything the bot holds about them
(JSON and Markdown), with every word they typed and nothing anyone else typed."""

from __future__ import annotations

import json

from storage.models import AuditEntry
from tests.data_steps import OTHER, alex_in_two_groups, command, tokens_in


def test_my_data_holds_every_word_i_typed_in_both_groups_and_nobody_elses(bot, driver, fake, db, clock):
    typed = alex_in_two_groups(bot, driver, fake, db, clock)
    mine = set(typed.of("UMGR1"))
    assert len(mine) >= 15

    mark = fake.mark()
    ack = command(driver, fake, "UMGR1", "/group", "my data", channel=OTHER)
    assert "direct message" in ack and "Only you" in ack
    fake.wait_for("files.completeUploadExternal", after=mark)
    files = [f for f in fake.files() if f["channel"] == fake.dm_channel("UMGR1")]
    assert sorted(f["name"].rsplit(".", 1)[1] for f in files) == ["json", "md"]
    by_kind = {f["name"].rsplit(".", 1)[1]: f["content"].decode() for f in files}
    data = json.loads(by_kind["json"])

    for text in by_kind.values():
        assert tokens_in(text) == mine  # every word Alex typed, and no one else's
        assert "descALEX1" in text and "descSAM1" in text  # the action Alex wrote; the one given to Alex
        assert "descSAM2" not in text  # Jo's action, written by the chair
    assert [g["group"]["name"] for g in data["groups"]] == ["Southwark Care Home Strategy Group", "Lewisham Group"]
    first = data["groups"][0]
    assert first["membership"]["role"] == "manager"
    assert [a["meeting"] for a in first["attendance"]] == [1, 2]
    assert [s["agreement_version"] for s in first["signatures"]] == [1]
    answers = [a for a in first["checkin_answers"]]
    assert len(answers) == 4 and [len(a["versions"]) for a in answers] == [1, 2, 1, 1]
    # The chair's report on Alex's action is listed, without the chair's note.
    theirs = [u for u in first["action_updates"] if not u["written_by_you"]]
    assert [(u["ref"], u["new_status"], u["note"]) for u in theirs] == [("A-3", "blocked", None)]
    assert {m["kind"] for m in first["messages_sent_to_you"]} >= {"checkin"}
    # The DM says what it is; the request is audited with counts, never text.
    [dm] = [m for m in fake.dms("UMGR1") if m.get("files")]
    assert "2 groups" in dm["text"] and "/group forget me" in dm["text"]
    [entry] = db.all(AuditEntry, action="data.subject_access")
    assert entry.actor == "UMGR1" and set(entry.detail) == {"groups", "records"}
    assert not tokens_in(json.dumps(entry.detail))


def test_someone_the_bot_knows_nothing_about_gets_an_empty_file(bot, driver, fake, db):
    mark = fake.mark()
    assert "direct message" in command(driver, fake, "UOUTSIDER", "/group", "my data", channel="DUOUTSIDER")
    fake.wait_for("files.completeUploadExternal", after=mark)
    [as_json] = [f for f in fake.files() if f["name"].endswith(".json")]
    data = json.loads(as_json["content"])
    assert data["groups"] == [] and data["person"]["slack_user_id"] == "UOUTSIDER"


def test_my_data_with_a_wrong_word_says_the_right_form(bot, driver, fake, db):
    assert "/group my data" in command(driver, fake, "UMGR1", "/group", "my stuff")
    assert not fake.files() and db.count(AuditEntry, action="data.subject_access") == 0
