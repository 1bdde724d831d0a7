"""`python -m bot db backup` during a running meeting, with thread replies streaming in, restores into a
database whose minutes render the same as the original's at the moment of the backup; restore refuses
to overwrite a database without --force; PostgreSQL goes through pg_dump (or says how)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import backup
from bot.app import recover_stranded
from bot.services.minutes import minutes_data
from handlers.blocks.minutes import minutes_markdown
from storage.db import make_engine
from storage.models import Contribution, InboxItem, Meeting
from tests.harness import CHANNEL, RunningBot, shared_texts
from tests.steps import give_roles, posted, set_up_group, start_meeting

ROOT = Path(__file__).resolve().parents[2]
SPEAKERS = ["UMGR1", "UMGR2", "UNHS", "UCQC", "UHW"]


def answer(i: int) -> str:
    return f"Stream answer {i:03d} about the day room"


def wait_until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)  # polling what the bot has stored, not waiting for time to pass


class Stream:
    """Thread replies sent one after another (each once the bot acknowledged the last) until stopped."""

    def __init__(self, driver, card_ts: str) -> None:  # type: ignore[no-untyped-def]
        self.driver, self.card_ts = driver, card_ts
        self.acked = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        i = 0
        while not self.stop.is_set():
            self.driver.post_message(SPEAKERS[i % len(SPEAKERS)], CHANNEL, answer(i), thread_ts=self.card_ts)
            i += 1
            self.acked = i

    def end(self) -> int:
        self.stop.set()
        self.thread.join(timeout=30)
        return self.acked


def answers_in(engine) -> set[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return set(conn.scalars(select(Contribution.text).where(Contribution.text.like("Stream answer%"))))


def rendered_minutes(bundle) -> str:  # type: ignore[no-untyped-def]
    deps = bundle.deps
    with deps.session_factory() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    data = minutes_data(deps.uow(), meeting_id=meeting_id, descriptions=deps.theme_descriptions)
    return minutes_markdown(data, shared_texts())


def in_arrival_order(markdown: str) -> list[str]:
    """The minutes' lines, each run of streamed answers in the order they were sent. Requests a restored
    database holds acknowledged but unhandled are handled again in parallel when the bot starts, all at
    the same fake instant, so among themselves they may be stored (and listed) in any order."""
    lines, run = [], []  # type: ignore[var-annotated]
    for line in [*markdown.splitlines(), ""]:
        if "Stream answer" in line:
            run.append(line)
            continue
        lines += sorted(run, key=lambda text: text.split("Stream answer ")[1]) + [line]
        run = []
    return lines


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_backup_taken_while_a_meeting_runs_restores_to_the_same_minutes(bot, driver, fake, engine, clock, tmp_path):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto themes")
    card = posted(fake, "working well", after=mark)

    stream = Stream(driver, card["ts"])
    wait_until(lambda: stream.acked >= 5)
    before = stream.acked  # acknowledged, so stored in the inbox, before the backup began
    done = backup.backup(str(engine.url), tmp_path / "backup.db")
    after = stream.acked
    wait_until(lambda: stream.acked >= after + 5)  # the meeting carries on after the backup
    sent = stream.end()
    wait_until(lambda: len(answers_in(engine)) == sent)
    assert "Backed up" in done and (tmp_path / "backup.db").stat().st_size > 0

    restored_url = f"sqlite:///{tmp_path}/restored.db"
    backup.restore(restored_url, tmp_path / "backup.db")
    restored_engine = make_engine(restored_url)
    # A bot on the restored database handles what the backup holds acknowledged but not yet handled, as
    # `python -m bot` does when it starts; the stand-in of Slack is the same.
    restored = RunningBot(fake, restored_engine, clock)
    try:
        # The fake clock stands still: everything was received at "now", which a process started later
        # would find received before its start.
        recover_stranded(restored.bundle, received_before=clock.now() + timedelta(seconds=1))
        def settled() -> bool:
            with restored_engine.connect() as conn:
                waiting = conn.scalars(select(InboxItem.id).where(InboxItem.handled_at.is_(None))).all()
            return not waiting
        wait_until(settled)
        held = answers_in(restored_engine)
        k = len(held)
        # One consistent moment: the first k answers exactly, every one acknowledged before the backup
        # included, and the later ones not (at most the one in flight while it ran).
        assert held == {answer(i) for i in range(k)}
        assert before <= k <= after + 1 < sent

        original = rendered_minutes(bot.bundle)
        later = [answer(i) for i in range(k, sent)]
        at_backup_time = "".join(line for line in original.splitlines(keepends=True)
                                 if not any(a in line for a in later))
        assert in_arrival_order(rendered_minutes(restored.bundle)) == in_arrival_order(at_backup_time)
        assert answer(k - 1) in at_backup_time and answer(sent - 1) in original
    finally:
        restored.stop()
        restored_engine.dispose()


def run_bot(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_restore_refuses_to_overwrite_a_database_without_force(tmp_path):
    live = f"sqlite:///{tmp_path}/live.db"
    assert run_bot("db", "upgrade", database_url=live).returncode == 0
    with sqlite3.connect(tmp_path / "live.db") as conn:
        conn.execute("CREATE TABLE marker (note TEXT)")
        conn.execute("INSERT INTO marker VALUES ('in the backup')")
    made = run_bot("db", "backup", str(tmp_path / "copy.db"), database_url=live)
    assert made.returncode == 0 and "Backed up" in made.stdout
    again = run_bot("db", "backup", str(tmp_path / "copy.db"), database_url=live)
    assert again.returncode == 2 and "already exists" in again.stderr

    with sqlite3.connect(tmp_path / "live.db") as conn:
        conn.execute("UPDATE marker SET note = 'changed since'")
    refused = run_bot("db", "restore", str(tmp_path / "copy.db"), database_url=live)
    assert refused.returncode == 2
    assert "already holds a database" in refused.stderr and "--force" in refused.stderr
    with sqlite3.connect(tmp_path / "live.db") as conn:
        assert conn.execute("SELECT note FROM marker").fetchone() == ("changed since",)  # nothing changed

    forced = run_bot("db", "restore", str(tmp_path / "copy.db"), "--force", database_url=live)
    assert forced.returncode == 0 and "Restored" in forced.stdout
    with sqlite3.connect(tmp_path / "live.db") as conn:
        assert conn.execute("SELECT note FROM marker").fetchone() == ("in the backup",)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    (tmp_path / "notes.txt").write_text("not a database at all " * 100)
    with pytest.raises(backup.Refused, match="not a backup"):
        backup.restore(f"sqlite:///{tmp_path}/new.db", tmp_path / "notes.txt")
    assert not (tmp_path / "new.db").exists()


def test_postgresql_restore_is_left_to_pg_restore_with_its_command():
    with pytest.raises(backup.Refused) as refusal:
        backup.restore("postgresql://carehome:s3cret@db.example:5432/carehome", "dump.pgc")
    message = str(refusal.value)
    assert "pg_restore --clean --if-exists --no-owner" in message and "dump.pgc" in message
    assert "s3cret" not in message  # the password is never printed


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_postgresql_backup_runs_pg_dump_or_says_how(tmp_path, monkeypatch):
    from tests.conftest import _postgres_url, fresh_engine

    engine = fresh_engine("postgresql", tmp_path)
    engine.dispose()
    target = tmp_path / "dump.pgc"
    if shutil.which("pg_dump") is None:
        with pytest.raises(backup.Refused, match="pg_dump is not installed"):
            backup.backup(_postgres_url(), target)
        return
    done = backup.backup(_postgres_url(), target)
    assert "pg_dump" in done and target.stat().st_size > 0
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True)
    assert "TABLE public contributions" in listing.stdout and "TABLE public alembic_version" in listing.stdout
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump on PATH: the refusal names the command
    with pytest.raises(backup.Refused, match="pg_dump --format=custom"):
        backup.backup(_postgres_url(), tmp_path / "other.pgc")
