"""GET /metrics after some traffic: requests and latencies by surface, deliveries by state as the database
holds them at the scrape, and the scheduler's lag per job, from the real `python -m bot` too."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from bot import metrics
from storage.db import make_session_factory
from storage.models import Delivery, Group
from tests.harness import CHANNEL, make_fake
from tests.process import BotProcess
from tests.steps import MANAGERS, MEMBERS, ephemeral_to, give_roles, reply, set_up_group, start_meeting


def scrape(base_url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"{base_url}/metrics", timeout=10) as answer:
        assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/plain")
        text = answer.read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def requests(samples, surface: str, status: str = "200") -> float:  # type: ignore[no-untyped-def]
    return samples.get(("carehome_requests_total", (("status", status), ("surface", surface))), 0.0)


def latency_count(samples, surface: str) -> float:  # type: ignore[no-untyped-def]
    return samples.get(("carehome_request_seconds_count", (("surface", surface),)), 0.0)


def deliveries(samples, status: str) -> float:  # type: ignore[no-untyped-def]
    return samples[("carehome_deliveries", (("status", status),))]


def test_metrics_count_requests_by_surface_and_deliveries_at_scrape(bot, driver, fake, db, engine, clock):
    metrics.watch_database(bot.bundle.deps.session_factory)  # as python -m bot does when it serves
    before = scrape(bot.base_url)
    set_up_group(driver, fake)  # a command and a form (view)
    give_roles(driver, fake)  # commands
    card = start_meeting(driver, fake)
    reply(driver, fake, "UMGR1", card, "Alex here")  # an event
    mark = fake.mark()
    driver.click_button("UMGR2", CHANNEL, card["ts"], "I'm here")  # an action
    fake.wait_for("views.open", after=mark)
    assert driver.command("UCHAIR", CHANNEL, "/meeting", "status", signature="v0=" + "0" * 64).status == 401

    group = db.one(Group)
    session = make_session_factory(engine)
    with session.begin() as s:
        for i, status in enumerate(["pending", "pending", "failed", "abandoned", "sent"]):
            s.add(Delivery(kind="checkin", user_id=f"U{i}", group_id=group.id, period="2026-11-30", status=status,
                           attempts=0, next_attempt_at=clock.now(), created_at=clock.now()))
    after = scrape(bot.base_url)

    commands = 1 + len(MANAGERS) + len(MEMBERS) + 1  # setup, the roles, start
    assert requests(after, "command") - requests(before, "command") == commands
    assert requests(after, "view") - requests(before, "view") == 1
    assert requests(after, "event") - requests(before, "event") >= 1
    assert requests(after, "action") - requests(before, "action") == 1
    assert requests(after, "refused", "401") - requests(before, "refused", "401") == 1
    for surface in ("command", "view", "event", "action"):
        assert latency_count(after, surface) > latency_count(before, surface)
    assert deliveries(after, "pending") == 2 and deliveries(after, "failed") == 1
    assert deliveries(after, "abandoned") == 1 and deliveries(after, "sent") == 1
    assert after[("carehome_metrics_database_up", ())] == 1

    # Computed when scraped: the database's state now, not a count kept since start.
    with session.begin() as s:
        s.execute(update(Delivery).where(Delivery.status == "pending").values(status="sent",
                                                                               sent_at=clock.now() + timedelta(1)))
    later = scrape(bot.base_url)
    assert deliveries(later, "pending") == 0 and deliveries(later, "sent") == 3


def test_the_real_process_serves_metrics_with_scheduler_lag_and_json_logs(tmp_path):
    fake = make_fake()
    process = BotProcess(fake, f"sqlite:///{tmp_path}/bot.db", scheduler=True, log_level="INFO",
                         extra_env={"LOG_FORMAT": "json"}).start()
    try:
        driver = process.driver()
        set_up_group(driver, fake)
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/meeting", "status")
        ephemeral_to(fake, "UCHAIR", mark)
        samples = scrape(process.base_url)
        assert requests(samples, "command") == 2 and requests(samples, "view") == 1
        assert samples[("carehome_metrics_database_up", ())] == 1
        assert deliveries(samples, "pending") == 0
        lag = {dict(labels)["job"]: value for (name, labels), value in samples.items()
               if name == "carehome_scheduler_seconds_since_last_run"}
        assert {"run_checkins", "run_reminders", "send_due", "send_due_at_start", "run_retention"} <= set(lag)
        assert all(0 <= value < 120 for value in lag.values())
        # send_due_at_start ran just after the scheduler started; the daily retention job has not run yet.
        fake.wait_until(lambda: scrape(process.base_url) and _lag(process, "send_due_at_start")
                        < _lag(process, "run_retention"), message="send_due_at_start to have run")
    finally:
        process.stop()
        fake.stop()
    lines = [line for line in process.output().splitlines() if line.strip()]
    # Every log record is one JSON object (a plain line printed at start, such as which database, is not a
    # record); none is in the text format.
    assert not [line for line in lines if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ", line)]
    parsed = [json.loads(line) for line in lines if line.startswith("{")]
    assert any("Scheduler started" in r["msg"] for r in parsed)
    assert all({"ts", "level", "logger", "msg", "request_id"} <= set(r) for r in parsed)


def _lag(process: BotProcess, job: str) -> float:
    return scrape(process.base_url)[("carehome_scheduler_seconds_since_last_run", (("job", job),))]
