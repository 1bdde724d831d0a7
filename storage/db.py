"""Engine and session setup. No engine exists at import time: the app factory builds one."""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool


def default_sqlite_path() -> Path:
    """Where the database lives when DATABASE_URL is not set: one absolute place per user, whatever folder
    the bot is started from ($XDG_DATA_HOME/carehome-bot/carehome.db, XDG_DATA_HOME defaulting to
    ~/.local/share). A relative default opened a new, empty database whenever the folder changed."""
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no passwd entry (some containers): the working folder's data/
        home = Path("data").resolve()
    base = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base).expanduser().resolve() / "carehome-bot" / "carehome.db"


DEFAULT_DATABASE_URL = f"sqlite:///{default_sqlite_path()}"


def normalise_url(url: str) -> str:
    """Some hosts hand out `postgres://` URLs; SQLAlchemy wants a driver name."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    # Enough connections for the web server's and bolt's listener threads together (bot/app.py), so a
    # request never waits for a connection another thread is merely holding.
    kwargs: dict[str, Any] = {"future": True, "pool_size": 10, "max_overflow": 30}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs = {"future": True, "connect_args": kwargs["connect_args"], "poolclass": StaticPool}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        _queue_sqlite_writers(engine)
    _forget_connections_in_forked_children(engine)
    return engine


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")


def _queue_sqlite_writers(engine: Engine) -> None:
    """In one process, SQLite writers wait their turn on a lock instead of in SQLite's busy handler.

    SQLite lets one connection write at a time; the others retry after sleeps that grow to 100 ms, so in
    a burst a waiting writer can lose the race again and again: twenty thread replies at once kept some
    acknowledgements (each needs one small write, the inbox row) waiting over three seconds. Here a
    connection takes the process's lock before its transaction's first write and gives it back when the
    transaction ends, so the next writer starts the moment the last one commits. Other processes (a
    separate scheduler) still meet SQLite's own lock, as before.
    """
    lock = threading.RLock()

    def take(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not conn.info.get("sqlite_writer") and statement.lstrip()[:15].upper().startswith(_WRITES):
            lock.acquire()
            conn.info["sqlite_writer"] = True

    def give_back(conn: Any, *_: Any) -> None:
        if conn.info.pop("sqlite_writer", False):
            lock.release()

    event.listen(engine, "before_cursor_execute", take)
    event.listen(engine, "commit", give_back)
    event.listen(engine, "rollback", give_back)


def _forget_connections_in_forked_children(engine: Engine) -> None:
    # gunicorn forks its worker after the app (and the scheduler, which starts sending at once) has used
    # the engine: a child must not reuse the parent's pooled connections (one socket or SQLite handle in
    # two processes corrupts both). SQLAlchemy's advice: dispose(close=False) in the child.
    ref = weakref.ref(engine)

    def in_child() -> None:
        if (alive := ref()) is not None:
            alive.dispose(close=False)

    os.register_at_fork(after_in_child=in_child)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the web and clock processes read while the other writes; foreign keys are off by
    # default in SQLite and we rely on them.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)
