"""The HTTP front door under hostile and malformed requests: never a 5xx, the right refusal, no Slack call,
one log line per refusal; in-process and as `python -m bot` under gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter

import pytest

from tests.e2e.front_door_cases import FORM, Case, admitted_cases, form, refused_cases, send
from tests.e2e.test_python_m_bot import ROOT, free_port
from tests.harness import CHANNEL, make_fake

SECRET = b"test-secret"


def test_every_malformed_or_hostile_request_is_refused_exactly_and_never_answered_5xx(bot, fake, capsys):
    refused, admitted = refused_cases(int(time.time())), admitted_cases()
    before = len(fake.calls)
    statuses = {case.name: send(bot.base_url, case, SECRET) for case in refused}
    assert not fake.calls[before:], "a refused request reached Slack"
    statuses |= {case.name: send(bot.base_url, case, SECRET) for case in admitted}

    total = len(refused) + len(admitted)
    with capsys.disabled():
        print(f"\n{total} malformed requests, {sum(s >= 500 for s in statuses.values())} answered with 5xx; "
              f"statuses: {dict(sorted(Counter(statuses.values()).items()))}")
    assert total >= 100 and len(statuses) == total  # names are unique: every case was sent and counted
    assert {n: s for n, s in statuses.items() if not 0 < s < 500} == {}
    assert {c.name: statuses[c.name] for c in refused if statuses[c.name] != c.expect} == {}
    assert Counter(c.expect for c in refused).keys() >= {400, 401, 404, 411, 413, 415}


def test_a_good_request_still_works_after_the_barrage(bot, driver, fake):
    for case in refused_cases(int(time.time()))[:20]:
        send(bot.base_url, case, SECRET)
    assert driver.command("UCHAIR", CHANNEL, "/meeting", "help").status == 200
    fake.wait_for("response_url")
    assert "/meeting start" in fake.ephemerals("UCHAIR")[-1]["text"]


def test_a_command_whose_text_says_payload_reaches_its_listener(bot, driver, fake):
    """bolt alone reads any form containing "payload" as an interaction and loses the command."""
    answer = driver.command("UCHAIR", CHANNEL, "/meeting", "payload")
    assert answer.status == 200
    fake.wait_for("response_url")
    assert "/meeting" in fake.ephemerals("UCHAIR")[-1]["text"]


@pytest.fixture
def served(tmp_path):
    """`python -m bot` under gunicorn, its log in a file."""
    fake = make_fake()
    port, log_path = free_port(), tmp_path / "bot.log"
    env = {**os.environ, "SLACK_BOT_TOKEN": fake.bot_token, "SLACK_SIGNING_SECRET": fake.signing_secret,
           "SLACK_API_URL": fake.api_url, "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db", "PORT": str(port),
           "LOG_LEVEL": "INFO"}
    env.pop("SLACK_APP_TOKEN", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot", "--no-scheduler"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                break
        except OSError:
            time.sleep(0.05)  # still starting: poll
    else:
        process.kill()
        pytest.fail(f"python -m bot did not start: {log_path.read_text()}")
    yield fake, base, log_path
    process.terminate()
    process.wait(timeout=10)
    fake.stop()


def test_under_gunicorn_no_request_gets_5xx_and_each_refusal_logs_one_line(served):
    fake, base, log_path = served
    refused = refused_cases(int(time.time()))
    chunked = [  # gunicorn de-chunks a body: the front door reads at most 1 MiB + 1 of it
        Case("chunked over 1 MiB", b"", FORM, 413, length="omit", headers=(("Transfer-Encoding", b"chunked"),),
             sent_body=b"".join(b"10000\r\n" + b"a" * 0x10000 + b"\r\n" for _ in range(16)) + b"1\r\na\r\n0\r\n\r\n"),
    ]
    body = form(command="/meeting", text="help", user_id="UCHAIR", channel_id=CHANNEL,
                response_url=fake.new_response_url(CHANNEL, "UCHAIR"))
    good_chunked = Case("chunked and signed", body, FORM, None, length="omit",
                        headers=(("Transfer-Encoding", b"chunked"),),
                        sent_body=f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
    statuses = {case.name: send(base, case, SECRET) for case in refused + chunked}
    assert not fake.calls_to("response_url") and not fake.calls_to("chat.postEphemeral")
    assert {n: s for n, s in statuses.items() if not 400 <= s < 500} == {}
    assert statuses["chunked over 1 MiB"] == 413
    assert send(base, good_chunked, SECRET) == 200
    fake.wait_for("response_url")

    log = log_path.read_text()
    ours = [line for line in log.splitlines() if "refused request" in line]
    theirs = [line for line in log.splitlines() if "gunicorn.error: Invalid request" in line]
    # Each refusal leaves one line: the bot's, or gunicorn's where it refused first (a bad Content-Length).
    assert len(ours) + len(theirs) == sum(c.expect != 404 for c in refused + chunked), log
    assert "not json" not in log and "/meeting" not in log and "test-secret" not in log
