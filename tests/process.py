"""`python -m bot` as a real child process, for tests that must crash it (kill -9) and start it again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.standin import FakeSlack, SlackDriver

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BotProcess:
    """The bot served by gunicorn in its own process, on a given database and stand-in of Slack.

    `kill()` is kill -9: no shutdown hook runs, nothing in flight is finished. `start()` again on the
    same port and database is what an operator's supervisor does after a crash.
    """

    def __init__(self, fake: FakeSlack, database_url: str, *, scheduler: bool = False, log_level: str = "WARNING",
                 extra_env: dict[str, str] | None = None, clock: bool = False) -> None:
        self.fake, self.port = fake, free_port()
        self.env = {**os.environ, "SLACK_BOT_TOKEN": fake.bot_token, "SLACK_SIGNING_SECRET": fake.signing_secret,
                    "SLACK_API_URL": fake.api_url, "DATABASE_URL": database_url, "PORT": str(self.port),
                    "LOG_LEVEL": log_level, **(extra_env or {})}
        self.env.pop("SLACK_APP_TOKEN", None)
        # clock: `python -m bot scheduler`, the clock process (no web server); ready once its scheduler runs.
        self.clock = clock
        if clock:
            self.env["LOG_LEVEL"] = "INFO"  # APScheduler's "Scheduler started" is the sign it is up
        mode = ["scheduler"] if clock else [] if scheduler else ["--no-scheduler"]
        self.args = [sys.executable, "-m", "bot", *mode]
        self.process: subprocess.Popen[bytes] | None = None
        # Output to a file, not a pipe: a pipe nobody reads fills up and blocks the bot.
        self.log_path = Path(tempfile.mkdtemp(prefix="bot-process-")) / "output.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def driver(self) -> SlackDriver:
        return SlackDriver(f"{self.base_url}/slack/events", self.fake)

    def start(self, timeout: float = 30) -> BotProcess:
        # A new process group, so that kill -9 reaches gunicorn's worker as well as its arbiter.
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        started = len(self.output())
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"python -m bot exited at start: {self.output()}")
            if self.clock:
                if "Scheduler started" in self.output()[started:]:
                    return self
                time.sleep(0.05)
                continue
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)  # still starting: poll, don't guess
        self.kill()
        raise RuntimeError(f"python -m bot did not start: {self.output()}")

    def kill(self) -> None:
        """kill -9 the whole process group, and wait until the port is free again."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        """Everything the process (and the ones before it on this object) printed."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
