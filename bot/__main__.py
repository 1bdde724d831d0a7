"""`python -m bot [--no-scheduler]` serves; `scheduler`, `db upgrade` and `demo` do what they say."""

from __future__ import annotations

import argparse
import sys

from bot.logs import configure as configure_logging
from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Care Home Strategy Group Slack bot")
    parser.add_argument("command", nargs="*", default=[],
                        help="(none) serve | scheduler | db upgrade | db backup|restore <file> | demo")
    parser.add_argument("--no-scheduler", action="store_true", help="serve without running the scheduler")
    parser.add_argument("--force", action="store_true", help="db backup|restore <file>: overwrite what is there")
    args = parser.parse_args(argv)
    if problems := ([] if args.command == ["demo"] else _environment_problems()):
        for problem in problems:  # one line each, and no traceback: see bot/settings.py validate_env
            print(f"Cannot start: {problem}", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    command = " ".join(args.command)
    # The demo prints a conversation: only warnings from the machinery belong in it.
    level = "WARNING" if command == "demo" else settings.log_level
    configure_logging(level, settings.log_format)
    if command == "db upgrade":
        return _db_upgrade(settings)
    if args.command[:2] in (["db", "backup"], ["db", "restore"]) and len(args.command) == 3:
        return _db_backup_or_restore(settings, args.command[1], args.command[2], args.force)
    if command == "demo":
        from tests.standin.demo import run_demo

        return run_demo()
    if command not in ("", "serve", "scheduler"):
        parser.error(f"unknown command {command!r}")
    missing = settings.missing()
    if missing:
        print(f"Cannot start: set {', '.join(missing)} (in the environment or a .env file). "
              "See README.md, 'Configuration'.", file=sys.stderr)
        return 2
    if failure := _start_up_problem(settings):
        print(f"Cannot start: {failure}", file=sys.stderr)
        return 2
    return _scheduler_only(settings) if command == "scheduler" else _serve(settings, not args.no_scheduler)


def _environment_problems() -> list[str]:
    import os

    from dotenv import load_dotenv

    from bot.settings import validate_env
    from storage.db import DEFAULT_DATABASE_URL, default_sqlite_path

    load_dotenv(override=False)
    problems = validate_env(dict(os.environ))
    if not problems and (os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL) == DEFAULT_DATABASE_URL:
        default_sqlite_path().parent.mkdir(parents=True, exist_ok=True)  # the default's folder is ours to make
    return problems


def _start_up_problem(settings: Settings) -> str | None:
    """Say which database this is (a default that moved would otherwise look like lost data), then ask
    Slack whether it takes the bot token (bot/checks.py)."""
    from sqlalchemy.engine import make_url

    from bot.checks import slack_auth_problem
    from storage.db import normalise_url

    url = make_url(normalise_url(settings.database_url))
    where = f"SQLite file {url.database}" if url.get_backend_name() == "sqlite" else url.render_as_string()
    print(f"Database: {where}", file=sys.stderr, flush=True)
    return slack_auth_problem(settings) if settings.bot_token else None


def _db_upgrade(settings: Settings) -> int:
    from storage.db import make_engine
    from storage.migrate import current_revision, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    print(f"Database is at revision {current_revision(engine)}.")
    return 0


def _db_backup_or_restore(settings: Settings, what: str, file: str, force: bool) -> int:
    from bot import backup

    try:
        done = (backup.backup if what == "backup" else backup.restore)(settings.database_url, file, force=force)
    except backup.Refused as refusal:
        print(f"Cannot {what}: {refusal}", file=sys.stderr)
        return 2
    print(done)
    return 0


def _bundle(settings: Settings):  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import DatabaseError

    from bot.app import create_app
    from storage.migrate import SchemaNotReady

    try:
        return create_app(settings)
    except SchemaNotReady as exc:
        print(str(exc), file=sys.stderr)
        raise SystemExit(2) from exc
    except DatabaseError as exc:  # unreachable server, refused login, a file that is not a database
        print(f"Cannot start: the database (DATABASE_URL) could not be opened: {exc.orig!s}".splitlines()[0],
              file=sys.stderr)
        raise SystemExit(2) from exc


def _serve(settings: Settings, with_scheduler: bool) -> int:
    from bot.app import recover_in_background

    bundle = _bundle(settings)

    def background() -> None:
        # Connections the parent opened (migrations) must not be shared with a forked child.
        bundle.engine.dispose(close=False)
        recover_in_background(bundle)  # what the last process acknowledged but never handled
        if with_scheduler:
            from bot.scheduler import build_scheduler

            build_scheduler(bundle).start()

    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        background()
        _metrics_alone(settings, bundle)
        SocketModeHandler(bundle.app, settings.app_token).start()
        return 0
    from bot.checks import Readiness, slack_auth_problem
    from bot.metrics import watch_database
    from bot.server import make_wsgi_app, serve_gunicorn
    from storage.migrate import current_revision

    slack_auth = (lambda: slack_auth_problem(settings)) if settings.bot_token else None
    wsgi = make_wsgi_app(bundle.app, signing_secret=settings.signing_secret,
                         health=lambda: current_revision(bundle.engine) is not None,
                         ready=Readiness(bundle.engine, slack_auth))
    watch_database(bundle.deps.session_factory)  # /metrics counts deliveries in the database when scraped
    serve_gunicorn(wsgi, settings.port, settings.workers, settings.log_level, in_worker=background)
    return 0


def _scheduler_only(settings: Settings) -> int:
    from bot.scheduler import build_scheduler

    bundle = _bundle(settings)
    scheduler = build_scheduler(bundle, blocking=True)
    _metrics_alone(settings, bundle)
    scheduler.start()
    return 0


def _metrics_alone(settings: Settings, bundle) -> None:  # type: ignore[no-untyped-def]
    """A process without the HTTP server (the clock, Socket Mode) serves /metrics on METRICS_PORT, if set."""
    if settings.metrics_port:
        from bot.metrics import serve_alone, watch_database

        watch_database(bundle.deps.session_factory)
        serve_alone(settings.metrics_port)


if __name__ == "__main__":
    raise SystemExit(main())
