"""`/group audit`: the chairs read the group's privileged actions and refusals, privately, or get them as a
CSV by DM; everyone else is refused (and that refusal is in the log too)."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

import pytest

from storage.models import AuditEntry
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, set_up_group, start_meeting


@pytest.fixture
def group(bot, driver, fake, clock):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UNHS", CHANNEL, "/meeting", "next")  # a refusal, by name
    ephemeral_to(fake, "UNHS", mark)


def says(driver, fake, user: str, text: str) -> str:
    mark = fake.mark()
    driver.command(user, CHANNEL, "/group", text)
    return ephemeral_to(fake, user, mark)


def test_a_chair_reads_the_last_entries_in_the_groups_time_zone(group, driver, fake, db, clock):
    mark = fake.mark()
    shown = says(driver, fake, "UCOCHAIR", "audit 4")
    answer = fake.ephemerals("UCOCHAIR")[-1]
    text = str(answer["blocks"])
    assert "Audit log · Southwark Care Home Strategy Group" in text and "times in Europe/London" in text
    assert text.count(" · `") == 4  # four entries: the last two roles given, the start, the refusal
    assert "`group.create`" not in text
    assert "<@UNHS> · `meeting.next` · :no_entry: refused · reason not_chair" in text
    assert "<@UCHAIR> · `meeting.start` · :white_check_mark: ok · meeting 1" in text
    local = clock.now().astimezone(ZoneInfo("Europe/London")).strftime("%a %-d %b %Y %H:%M")
    assert f"{local} · <@UNHS>" in text  # when, in the group's time zone
    assert "Audit log of Southwark" in shown
    # Private: nothing in the channel, and reading it is itself audited.
    assert not [c for c in fake.calls[mark:] if c.method == "chat.postMessage"]
    read = db.all(AuditEntry, action="audit.read")[-1]
    assert (read.actor, read.outcome, read.detail) == ("UCOCHAIR", "ok", {"entries": 4})


def test_the_default_is_twenty_and_bad_counts_are_explained(group, driver, fake, db):
    says(driver, fake, "UCHAIR", "audit")
    assert db.all(AuditEntry, action="audit.read")[-1].detail == {"entries": min(20, db.count(AuditEntry) - 1)}
    before = db.count(AuditEntry)
    for bad in ("0", "101", "lots", "-3"):
        said = says(driver, fake, "UCHAIR", f"audit {bad}")
        assert "is not a number of entries I can show" in said and "`/group audit csv`" in said
    assert db.count(AuditEntry) == before  # nothing was read, nothing written


def test_a_member_is_refused_and_the_refusal_is_audited(group, driver, fake, db):
    for text, action in (("audit", "audit.read"), ("audit csv", "audit.export")):
        assert "Only the chair or a co-chair" in says(driver, fake, "UMGR1", text)
        refusal = db.all(AuditEntry, actor="UMGR1", action=action)[-1]
        assert (refusal.outcome, refusal.detail) == ("refused", {"reason": "not_chair"})
    assert not fake.files()


def test_the_csv_goes_to_the_chair_alone_by_dm_and_holds_no_member_text(group, driver, fake, db):
    # Something a member wrote: never in the audit log. (Not about a named resident, or the resident-data
    # guardrail would hold it instead of ticking it: tests/e2e/test_guardrail.py.)
    secret = "Falls in the lounge went down by a third"
    card = fake.messages(CHANNEL, include_replies=False)[-1]
    driver.post_message("UMGR1", CHANNEL, secret, thread_ts=card["ts"])
    fake.wait_for("reactions.add")
    said = says(driver, fake, "UCHAIR", "audit csv")
    assert "as a CSV file in a direct message" in said and "not to the channel" in said
    [sent] = fake.files()
    assert sent["channel"] == fake.dm_channel("UCHAIR") and sent["channels"] == [fake.dm_channel("UCHAIR")]
    rows = list(csv.reader(io.StringIO(sent["content"].decode())))
    assert rows[0] == ["at_utc", "at_local (Europe/London)", "actor", "action", "outcome", "detail"]
    entries = [e for e in db.all(AuditEntry) if e.group_id is not None and e.action != "audit.export"]
    assert [(r[2], r[3], r[4]) for r in rows[1:]] == [(e.actor, e.action, e.outcome) for e in entries]
    assert ["UNHS", "meeting.next", "refused"] in [r[2:5] for r in rows]
    assert secret not in sent["content"].decode() and secret not in str([e.detail for e in db.all(AuditEntry)])
    assert not [m for m in fake.messages(CHANNEL) if "audit" in (m.get("text") or "").lower()]
