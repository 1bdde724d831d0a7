"""Fail fast and say why: `python -m bot` with a bad setting prints one line per problem and exits 2 (no
traceback); `/readyz` says whether the database, the schema and Slack's word on the token are all good."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

from bot.checks import Readiness, slack_auth_problem
from bot.server import make_wsgi_app
from bot.settings import Settings
from storage.db import make_engine
from storage.migrate import upgrade
from tests.harness import make_fake
from tests.process import BotProcess, free_port

ROOT = Path(__file__).resolve().parents[2]


def run_bot(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RETENTION_"))
            and k not in ("PORT", "DATABASE_URL", "LOG_LEVEL", "WEB_CONCURRENCY")}
    # From another folder, as an operator's supervisor starts it: nothing may depend on the working folder.
    return subprocess.run([sys.executable, "-m", "bot", "--no-scheduler"], cwd=cwd, capture_output=True, text=True,
                          env={**base, "PYTHONPATH": str(ROOT), **env}, timeout=60)


def cannot_start_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("Cannot start:")]


def test_a_token_slack_rejects_stops_the_boot_with_one_line_naming_it(tmp_path):
    fake = make_fake()
    try:
        result = run_bot({"SLACK_BOT_TOKEN": "xoxb-not-the-real-one", "SLACK_SIGNING_SECRET": "s",
                          "SLACK_API_URL": fake.api_url, "XDG_DATA_HOME": str(tmp_path / "xdg"),
                          "PORT": str(free_port())}, cwd=tmp_path)
        assert result.returncode == 2
        [line] = cannot_start_lines(result)
        assert "SLACK_BOT_TOKEN" in line and "invalid_auth" in line and fake.api_url in line
        assert "xoxb-not-the-real-one" not in result.stderr + result.stdout  # a token never appears in output
        [call] = fake.calls_to("auth.test")
        assert call.response == {"ok": False, "error": "invalid_auth"}
        # The default database lives at the stated absolute path, printed at start, its folder made.
        default = tmp_path / "xdg" / "carehome-bot" / "carehome.db"
        assert f"Database: SQLite file {default}" in result.stderr
        assert default.parent.is_dir() and not (tmp_path / "carehome.db").exists()
    finally:
        fake.stop()


def test_slack_unreachable_at_start_is_one_line_too(tmp_path):
    result = run_bot({"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s",
                      "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",
                      "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db"}, cwd=tmp_path)
    assert result.returncode == 2
    [line] = cannot_start_lines(result)
    assert "could not be reached at SLACK_API_URL=http://127.0.0.1:" in line


def test_a_bad_port_is_one_line_naming_port(tmp_path):
    for port in ("abc", "0", "70000", "80.5"):
        result = run_bot({"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "PORT": port,
                          "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db"}, cwd=tmp_path)
        assert result.returncode == 2
        assert cannot_start_lines(result) == [
            f"Cannot start: PORT must be a whole number from 1 to 65535, not {port!r}"]


def test_every_bad_setting_gets_its_own_line(tmp_path):
    result = run_bot({"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "PORT": "-1", "LOG_LEVEL": "LOUD",
                      "RETENTION_FEEDBACK_MONTHS": "two", "WEB_CONCURRENCY": "many",
                      "DATABASE_URL": f"sqlite:///{tmp_path}/missing/bot.db"}, cwd=tmp_path)
    assert result.returncode == 2
    lines = cannot_start_lines(result)
    assert len(lines) == 5, lines
    for name in ("PORT", "LOG_LEVEL", "RETENTION_FEEDBACK_MONTHS", "WEB_CONCURRENCY", "DATABASE_URL"):
        assert sum(name in line for line in lines) == 1, (name, lines)
    assert f"the folder {tmp_path}/missing does not exist" in result.stderr


def test_bad_database_urls_are_named(tmp_path):
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o555)
    cases = {"not a url": "is not a database URL", "mysql://u@h/db": "must be a sqlite:/// or postgresql:// URL",
             f"sqlite:///{tmp_path}": "points at a folder"}
    if os.geteuid() != 0:  # root writes anywhere: the permission check cannot be seen failing as root
        cases[f"sqlite:///{read_only}/bot.db"] = "is not writable"
    for url, expected in cases.items():
        result = run_bot({"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": url},
                         cwd=tmp_path)
        assert result.returncode == 2, url
        [line] = cannot_start_lines(result)
        assert "DATABASE_URL" in line and expected in line, (url, line)
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("this is not SQLite" * 100)
    fake = make_fake()
    try:
        result = run_bot({"SLACK_BOT_TOKEN": fake.bot_token, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": fake.api_url,
                          "DATABASE_URL": f"sqlite:///{not_a_database}"}, cwd=tmp_path)
    finally:
        fake.stop()
    assert result.returncode == 2
    [line] = cannot_start_lines(result)
    assert "the database (DATABASE_URL) could not be opened" in line


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_readyz_fails_when_slack_rejects_the_token_and_healthz_stays_up(tmp_path):
    fake = make_fake()
    bot = BotProcess(fake, f"sqlite:///{tmp_path}/bot.db").start()
    try:
        base = bot.base_url
        fake.fail("auth.test", status=200, error="token_revoked")  # revoked after the start-up check passed
        status, body = get(f"{base}/readyz")
        assert status == 503 and body["ok"] is False
        assert body["checks"]["database"] == "ok" and body["checks"]["schema"] == "ok"
        assert "token_revoked" in body["checks"]["slack_auth"] and "SLACK_BOT_TOKEN" in body["checks"]["slack_auth"]
        assert get(f"{base}/healthz") == (200, {"ok": True})  # liveness: a restart would not mend a token
        assert len(fake.calls_to("auth.test")) == 2  # at start, and for this readiness
    finally:
        bot.stop()
        fake.stop()


def call_wsgi(wsgi: Any, path: str) -> tuple[str, Any]:
    environ: dict[str, Any] = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    got: list[str] = []
    body = b"".join(wsgi(environ, lambda status, headers: got.append(status)))
    return got[0], json.loads(body)


def test_readyz_checks_database_schema_and_caches_slack_for_a_minute(tmp_path, engine):
    fake = make_fake()
    try:
        settings = Settings(bot_token=fake.bot_token, slack_api_url=fake.api_url)
        now = [1000.0]
        ready = Readiness(engine, lambda: slack_auth_problem(settings), now=lambda: now[0])
        wsgi = make_wsgi_app(None, signing_secret="s", health=lambda: True, ready=ready)  # type: ignore[arg-type]
        assert call_wsgi(wsgi, "/readyz") == ("200 OK", {"ok": True, "checks": {
            "database": "ok", "schema": "ok", "slack_auth": "ok"}})
        fake.fail("auth.test", status=200, error="invalid_auth", times=5)
        now[0] += 59  # within the minute: Slack is not asked again
        assert call_wsgi(wsgi, "/readyz")[0] == "200 OK" and len(fake.calls_to("auth.test")) == 1
        now[0] += 2
        status, body = call_wsgi(wsgi, "/readyz")
        assert status == "503 Service Unavailable" and "invalid_auth" in body["checks"]["slack_auth"]

        # A database one migration behind, and one that does not answer at all.
        behind = make_engine(f"sqlite:///{tmp_path}/behind.db")
        upgrade(behind, "0001")
        status, body = call_wsgi(make_wsgi_app(None, signing_secret="s", health=lambda: True,  # type: ignore[arg-type]
                                               ready=Readiness(behind, None)), "/readyz")
        assert status.startswith("503") and body["checks"]["database"] == "ok"
        assert body["checks"]["schema"].startswith("schema is at 0001, the latest migration is")
        gone = make_engine(f"sqlite:///{tmp_path}/no/such/folder/bot.db")
        status, body = call_wsgi(make_wsgi_app(None, signing_secret="s", health=lambda: True,  # type: ignore[arg-type]
                                               ready=Readiness(gone, None)), "/readyz")
        assert status.startswith("503")
        assert body["checks"] == {"database": "database did not answer (OperationalError)", "schema": "not checked"}
    finally:
        fake.stop()
