"""`python -m bot db backup <file>` and `db restore <file>`: a copy of the database that can be put back.

The choices, and why:

- **SQLite: the online backup API** (`sqlite3.Connection.backup`), never a file copy. It copies the
  database page by page under SQLite's own locks, so a backup taken while the bot is serving (WAL mode,
  requests streaming in) is one consistent moment: every transaction committed before it, none half.
  Copying the file with `cp` could catch a write halfway, or miss what still sits in the `-wal` file.
- **PostgreSQL: `pg_dump` when it is on PATH** (custom format, the one `pg_restore` reads), run with the
  password in `PGPASSWORD` rather than on the command line, where `ps` would show it. Without pg_dump
  the command refuses and prints the command to run where it is installed: a dump is PostgreSQL's own
  tool's job, and it must match the server's version.
- **Restore is SQLite only, and refuses to overwrite a database that holds data unless `--force`.**
  Restoring replaces everything: the operator stops the bot (web and clock) first, and says so with
  `--force`. With `--force` the backup API writes into the live file under its lock, so a process still
  holding it open sees the old database or the new one, never a mixture. A PostgreSQL dump is restored
  with `pg_restore`, whose command this prints, because it needs choices only the operator can make
  (which database, whether to drop what is there).
- A backup must be a database of this bot (it has `alembic_version`) and pass `PRAGMA integrity_check`
  before anything is overwritten; one older than the code is upgraded by `python -m bot db upgrade`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import URL, make_url

from storage.db import normalise_url


class Refused(Exception):
    """The command cannot do what was asked; the message says why and what to do instead."""


def backup(database_url: str, target: str | Path, *, force: bool = False) -> str:
    """Back the database up into `target`; returns a line saying what was written."""
    target = Path(target)
    if target.exists() and target.stat().st_size > 0 and not force:
        raise Refused(f"{target} already exists: choose a new file name, or add --force to overwrite it.")
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        return _sqlite_backup(_sqlite_path(database_url), target)
    if url.get_backend_name() == "postgresql":
        return _pg_dump(database_url, target)
    raise Refused(f"backing up a {url.get_backend_name()} database is not supported (SQLite or PostgreSQL).")


def restore(database_url: str, source: str | Path, *, force: bool = False) -> str:
    """Put a SQLite backup back as the database; returns a line saying what was restored."""
    source = Path(source)
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "postgresql":
        raise Refused("restoring PostgreSQL is pg_restore's job. Stop the bot, then run: "
                      f"pg_restore --clean --if-exists --no-owner --dbname '{_libpq_url(database_url)}' {source} "
                      "(password in PGPASSWORD), then python -m bot db upgrade.")
    if url.get_backend_name() != "sqlite":
        raise Refused(f"restoring a {url.get_backend_name()} database is not supported.")
    revision = _check_backup(source)
    path = _sqlite_path(database_url)
    tables = _table_count(path)
    if tables and not force:
        raise Refused(f"{path} already holds a database ({tables} tables); restoring replaces all of it. "
                      "Stop the bot (web and clock), then run again with --force.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _connect(source) as src, _connect(path) as dst:
        src.backup(dst)
    return f"Restored {source} into {path} (revision {revision}); run python -m bot db upgrade if the code is newer."


def _sqlite_path(database_url: str) -> Path:
    name = make_url(normalise_url(database_url)).database
    if not name or name == ":memory:":
        raise Refused("an in-memory SQLite database cannot be backed up or restored.")
    return Path(name).expanduser().resolve()


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=30)


def _sqlite_backup(path: Path, target: Path) -> str:
    if not path.is_file():
        raise Refused(f"there is no database at {path}: check DATABASE_URL.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _connect(path) as src, _connect(target) as dst:
        src.backup(dst)
    revision = _check_backup(target)
    return f"Backed up {path} to {target} (revision {revision}, {target.stat().st_size} bytes)."


def _check_backup(path: Path) -> str:
    """The backup's migration revision, once it is known to be a sound database of this bot."""
    if not path.is_file():
        raise Refused(f"there is no backup at {path}.")
    try:
        with _connect(path) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise Refused(f"{path} is damaged (SQLite's integrity check failed): nothing was changed.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise Refused(f"{path} is not a backup of this bot's database ({type(error).__name__}): "
                      "nothing was changed.") from error
    if row is None:
        raise Refused(f"{path} has never been migrated: it is not a backup of this bot's database.")
    return str(row[0])


def _table_count(path: Path) -> int:
    if not path.is_file() or path.stat().st_size == 0:
        return 0
    with _connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])


def _libpq_url(database_url: str) -> str:
    """The URL pg_dump and pg_restore take: no SQLAlchemy driver name, and no password."""
    url = make_url(normalise_url(database_url))
    bare = URL.create("postgresql", username=url.username, host=url.host, port=url.port, database=url.database,
                      query=url.query)
    return bare.render_as_string(hide_password=False)


def _pg_dump(database_url: str, target: Path) -> str:
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", f"--dbname={_libpq_url(database_url)}"]
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise Refused("pg_dump is not installed here. On a machine with PostgreSQL's client tools (the server's "
                      f"version or newer), run: PGPASSWORD=... {' '.join(command)}")
    env = dict(os.environ)
    password = make_url(normalise_url(database_url)).password
    if password:
        env["PGPASSWORD"] = str(password)
    done = subprocess.run([pg_dump, *command[1:]], env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0][:300]
        raise Refused(f"pg_dump failed: {first}")
    return f"Dumped the database to {target} with pg_dump ({target.stat().st_size} bytes); restore with pg_restore."
