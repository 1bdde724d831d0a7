"""`/group forget`: a chair erases a member from one group (after a private confirmation); a member
erases themselves; everyone else is refused. Afterwards none of the person's words is anywhere in that
group's data, the record still adds up and renders, and their other group is untouched."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Action, AuditEntry, Base, Contribution, Member, Minutes
from tests.data_steps import alex_in_two_groups, command, tokens_in
from tests.harness import CHANNEL
from tests.steps import give_roles, set_up_group


def everything_stored(engine) -> str:
    """Every text, JSON and binary value of every row of every table, as one string."""
    parts = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    parts.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    return "\n".join(parts)


def test_a_chair_forgets_a_member_in_one_group_and_nothing_of_theirs_is_left_there(
        bot, driver, fake, db, clock, engine):
    typed = alex_in_two_groups(bot, driver, fake, db, clock)
    here = {t for t in typed.of("UMGR1") if typed.channel[t] == CHANNEL}
    there = set(typed.of("UMGR1")) - here
    assert len(here) >= 15 and len(there) == 1
    assert here <= tokens_in(everything_stored(engine))

    asked = command(driver, fake, "UCHAIR", "/group", "forget <@UMGR1|alex>")
    assert "Forget <@UMGR1> in Southwark" in asked and "2 theme answers" in asked and "1 other group" in asked
    assert "4 weekly check-in answers" in asked and "unassigned" in asked
    assert here <= tokens_in(everything_stored(engine))  # asking changes nothing
    mark = fake.mark()
    driver.click_ephemeral_button("UCHAIR", "Forget them")
    fake.wait_until(lambda: db.count(AuditEntry, action="member.forget") == 1)
    # The confirmation already says "a former member": wait for the answer sent once everything is done
    # (the stored minutes are drawn again after the erasure commits).
    fake.wait_until(lambda: str(fake.ephemerals("UCHAIR")[-1].get("text")).startswith("Done:"))

    stored = everything_stored(engine)
    assert not here & tokens_in(stored)  # none of Alex's words typed in this group, in any table
    assert there <= tokens_in(stored)  # the other group's record is untouched
    assert {m.user_id for m in db.all(Member, group_id=2)} >= {"UMGR1"}
    [former] = [m for m in db.all(Member, group_id=1) if m.erased_at is not None]
    assert (former.display_name, former.organisation, former.role) == ("a former member", None, "observer")
    assert not any(c.user_id == "UMGR1" for c in db.all(Contribution) if c.meeting_id in (1, 2))

    # The record still adds up: Alex's actions stay, unassigned; the one Alex wrote keeps no words.
    owned = [a for a in db.all(Action, group_id=1) if a.owner_id == former.user_id]
    assert [a.number for a in owned] == [1, 3]
    assert "descALEX1" not in db.one(Action, group_id=1, number=3).description
    # The stored minutes were rewritten; the minutes and the action plan still render, without Alex.
    for minutes in db.all(Minutes):
        assert "Alex Morgan" not in minutes.markdown and "UMGR1" not in minutes.markdown
    assert "a former member" in db.all(Minutes)[0].markdown
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "export minutes md 1")
    fake.wait_for("files.completeUploadExternal", after=mark)
    exported = fake.files()[-1]["content"].decode()
    assert "a former member" in exported and "Alex Morgan" not in exported and "UMGR1" not in exported
    assert not tokens_in(exported) & here and "zqJO" in exported
    shown = command(driver, fake, "UCHAIR", "/actions", "all")
    blocks = str(fake.ephemerals("UCHAIR")[-1].get("blocks"))
    assert "A-1" in blocks and "UMGR1" not in blocks + shown and "Alex Morgan" not in blocks + shown
    # Audited: who, how many, no words.
    [entry] = db.all(AuditEntry, action="member.forget")
    assert entry.actor == "UCHAIR" and entry.detail["records"] > 20 and entry.detail["theme_answers"] == 2
    assert not tokens_in(str(entry.detail)) and "UMGR1" not in str(entry.detail)
    assert "UMGR1" not in str([(e.actor, e.detail) for e in db.all(AuditEntry) if e.group_id == 1])


def test_only_a_chair_may_forget_someone_else_and_the_refusal_is_audited(bot, driver, fake, db):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    refused = command(driver, fake, "UMGR2", "/group", "forget <@UMGR1>")
    assert "chair" in refused.lower() and not fake.ephemerals("UMGR2")[-1].get("blocks")
    assert [(e.actor, e.outcome) for e in db.all(AuditEntry, action="member.forget")] == [("UMGR2", "refused")]
    assert "/group forget @person" in command(driver, fake, "UCHAIR", "/group", "forget everyone")
    assert "not in this group's record" in command(driver, fake, "UCHAIR", "/group", "forget <@UOUTSIDER>")
    assert "only chair" in command(driver, fake, "UCOCHAIR", "/group", "forget <@UCHAIR>")
    assert db.one(Member, user_id="UMGR1").erased_at is None


def test_a_member_forgets_themselves_and_may_change_their_mind_first(bot, driver, fake, db):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    asked = command(driver, fake, "UMGR2", "/group", "forget me")
    assert "Forget you in Southwark" in asked and "Only you can see this" in asked
    driver.click_ephemeral_button("UMGR2", "Cancel")
    fake.wait_until(lambda: "Nothing was changed" in str(fake.ephemerals("UMGR2")[-1].get("text")))
    assert db.one(Member, user_id="UMGR2").erased_at is None
    command(driver, fake, "UMGR2", "/group", "forget me")
    driver.click_ephemeral_button("UMGR2", "Forget me")
    fake.wait_until(lambda: db.count(AuditEntry, action="member.forget", outcome="ok") == 1)
    assert db.count(Member, user_id="UMGR2") == 0
    [entry] = db.all(AuditEntry, action="member.forget")
    assert entry.actor.startswith("erased-") and entry.detail["own"] is True
    driver.command("UCHAIR", CHANNEL, "/group", "members")
    fake.wait_until(lambda: "a former member" in str(fake.ephemerals("UCHAIR")[-1].get("text")))
    assert "Jo Bennett" not in str(fake.ephemerals("UCHAIR")[-1].get("text"))


def test_a_former_members_action_is_named_in_words_never_as_a_broken_mention(bot, driver, fake, db):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    command(driver, fake, "UCHAIR", "/actions", "add Visit the day centre owner <@UMGR2|jo>")
    command(driver, fake, "UMGR2", "/group", "forget me")
    driver.click_ephemeral_button("UMGR2", "Forget me")
    fake.wait_until(lambda: db.count(AuditEntry, action="member.forget", outcome="ok") == 1)
    mark = fake.mark()
    refused = command(driver, fake, "UNHS", "/actions", "report A-1 done")  # not theirs: told whose it is
    shown = " ".join(str(c.args) for c in fake.calls[mark:])
    assert "a former member" in refused
    assert "erased-" not in shown
