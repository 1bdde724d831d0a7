"""`python -m bot` as operators run it: gunicorn serving /healthz and signed Slack requests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.harness import CHANNEL, make_fake
from tests.standin import SlackDriver

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path):
    fake = make_fake()
    port = free_port()
    env = {**os.environ, "SLACK_BOT_TOKEN": fake.bot_token, "SLACK_SIGNING_SECRET": fake.signing_secret,
           "SLACK_API_URL": fake.api_url, "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db", "PORT": str(port),
           "LOG_LEVEL": "WARNING"}
    env.pop("SLACK_APP_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "bot", "--no-scheduler"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.05)  # the server is still starting: poll, don't guess
    else:
        process.kill()
        pytest.fail(f"python -m bot did not start: {process.stdout.read().decode() if process.stdout else ''}")
    yield fake, base
    process.terminate()
    process.wait(timeout=10)
    fake.stop()


def test_the_real_process_serves_health_and_signed_commands(served):
    fake, base = served
    with urllib.request.urlopen(f"{base}/healthz") as answer:
        assert json.load(answer) == {"ok": True}
    driver = SlackDriver(f"{base}/slack/events", fake)
    assert driver.command("UCHAIR", CHANNEL, "/meeting", "help", timestamp="not-a-number").status == 401
    answer = driver.command("UCHAIR", CHANNEL, "/meeting", "help")
    assert answer.status == 200
    fake.wait_for("response_url")
    assert "/meeting start" in fake.ephemerals("UCHAIR")[-1]["text"]


def test_the_real_process_names_missing_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
