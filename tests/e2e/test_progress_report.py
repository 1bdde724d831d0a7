"""Journey: `/group report` for the group's sponsors, now and every n months, through signed HTTP; the HTML
file's charts are real PNGs and the page renders in headless Chromium (Debian's package)."""

from __future__ import annotations

import base64
import re
import shutil
import struct
import subprocess
import zlib
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from handlers.jobs import run_progress_reports
from storage.models import AuditEntry, Delivery, Group
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, posted, set_up_group

PNG = b"\x89PNG\r\n\x1a\n"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def run(driver, fake, user: str, command: str, text: str) -> int:
    mark = fake.mark()
    driver.command(user, CHANNEL, command, text)
    return mark


@pytest.fixture
def history(bot, driver, fake, db, clock):
    """A group with three actions: one done with a final note, one blocked, one overdue."""
    set_up_group(driver, fake)
    give_roles(driver, fake)
    for text in ('Run a falls workshop owner <@UNHS> agency "NHS Falls Team" theme Managing transitions due 2027-01-15',
                 "Map befriending schemes owner <@UHW> agency Healthwatch theme Creating community due 2027-02-01",
                 "Share the hydration audit owner <@UMGR1> theme Improving health due 2026-12-01"):
        mark = run(driver, fake, "UCHAIR", "/actions", f"add {text}")
        posted(fake, "A-", after=mark)
    clock.advance(days=14)
    for ref, user, status, note in (("A-1", "UNHS", "done", "Workshop held, 14 night staff trained"),
                                    ("A-2", "UHW", "blocked", "Waiting for the council's list of schemes")):
        mark = run(driver, fake, user, "/actions", f"report {ref} {status} {note}")
        posted(fake, ref, after=mark)
    clock.advance(days=14)  # 21 December: A-3 (1 December) is overdue


def images(page: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("data:"):
                raise AssertionError(f"external asset {value}")

    def handle_data(self, data):
        self.text.append(data)


def test_a_chair_gets_a_summary_and_a_self_contained_report_with_real_charts(history, driver, fake, db):
    mark = run(driver, fake, "UCHAIR", "/group", "report")
    summary = posted(fake, "Progress report", after=mark)
    assert "Actions completed in this period: 1" in summary["text"]
    assert "Open now: 2, of which 1 past their target date and 1 blocked" in summary["text"]
    fake.wait_for("files.completeUploadExternal", after=mark)
    [file] = fake.files()
    assert file["channel"] == CHANNEL and file["name"] == "progress-report-2026-12-21.html"
    page = file["content"].decode()
    charts = images(page)
    assert len(charts) == 7
    for png in charts:
        width, height = png_size(png)
        assert (width, height) == (700, 320) and len(png) > 5000
    parser = Text()
    parser.feed(page)
    text = " ".join(" ".join(parser.text).split())
    assert "Progress report: Southwark Care Home Strategy Group" in text
    assert "Period covered: 23 November 2026 to 21 December 2026" in text
    assert "Workshop held, 14 night staff trained" in text  # the highlight with its final note
    assert "Waiting for the council's list of schemes" in text and "Share the hydration audit" in text  # stuck
    assert "<@" not in page and "UNHS" not in page and "*" not in text and "Fatima Idris" in text
    assert "script" not in parser.tags
    group = db.one(Group)
    assert group.last_report_at == datetime(2026, 12, 21, 10, 0, tzinfo=UTC)
    assert [(e.actor, e.outcome) for e in db.all(AuditEntry, action="group.report")] == [("UCHAIR", "ok")]


def test_a_second_report_covers_the_time_since_the_first(history, driver, fake, clock):
    run(driver, fake, "UCHAIR", "/group", "report")
    fake.wait_until(lambda: len(fake.files()) == 1)
    clock.advance(days=10)
    mark = run(driver, fake, "UCHAIR", "/group", "report")
    summary = posted(fake, "Progress report", after=mark)
    assert "21 December 2026 to 31 December 2026" in summary["text"]
    assert "Actions completed in this period: 0" in summary["text"]
    mark = run(driver, fake, "UCHAIR", "/group", "report since 1 December 2026")
    assert "1 December 2026 to 31 December 2026" in posted(fake, "Progress report", after=mark)["text"]


def test_members_are_refused_and_bad_input_gets_the_right_form(history, driver, fake, db):
    mark = run(driver, fake, "UMGR1", "/group", "report")
    assert "Only the chair" in ephemeral_to(fake, "UMGR1", mark)
    for text in ("report yesterday", "report since", "report since someday soon", "report every 0 months",
                 "report every fortnight"):
        mark = run(driver, fake, "UCHAIR", "/group", text)
        said = ephemeral_to(fake, "UCHAIR", mark)
        assert "/group report" in said or "I couldn't read" in said or "months between reports" in said, said
    assert fake.files() == []
    assert [e.outcome for e in db.all(AuditEntry, action="group.report")] == ["refused"]


def test_the_report_every_six_months_is_posted_once_per_period(history, bot, driver, fake, db, clock):
    mark = run(driver, fake, "UCHAIR", "/group", "report every 6 months")
    assert "every 6 months; the first on Monday 21 June 2027" in ephemeral_to(fake, "UCHAIR", mark)
    client, deps = bot.bundle.app.client, bot.bundle.deps
    assert run_progress_reports(client, deps) == 0
    clock.current = datetime(2027, 6, 21, 10, 0, tzinfo=UTC)
    assert run_progress_reports(client, deps) == 1
    assert run_progress_reports(client, deps) == 0  # once per period, whatever the ticks
    [file] = fake.files()
    assert file["name"] == "progress-report-2027-06-21.html" and len(images(file["content"].decode())) == 7
    [delivery] = db.all(Delivery, kind="progress_report")
    assert (delivery.status, delivery.period, delivery.user_id) == ("sent", "2027-06-21", CHANNEL)
    clock.current = datetime(2028, 6, 25, 10, 0, tzinfo=UTC)  # the clock was down for two periods: only the latest
    assert run_progress_reports(client, deps) == 1
    assert [d.period for d in db.all(Delivery, kind="progress_report")] == ["2027-06-21", "2028-06-21"]
    mark = run(driver, fake, "UCHAIR", "/group", "report every off")
    assert "no longer be posted by itself" in ephemeral_to(fake, "UCHAIR", mark)
    clock.current = datetime(2029, 1, 1, 10, 0, tzinfo=UTC)
    assert run_progress_reports(client, deps) == 0


def non_white(png: bytes) -> tuple[int, int]:
    """(pixels not white, all pixels) of an 8-bit RGB or RGBA PNG, decoded with zlib: no extra dependency."""
    width, height = png_size(png)
    depth, colour = png[24], png[25]
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    pos, idat = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, stride, prev = zlib.decompress(idat), width * channels, bytearray(width * channels)
    count = 0
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, row = line[0], bytearray(line[1:])
        for i in range(stride):
            a = row[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                row[i] = (row[i] + a) & 255
            elif kind == 2:
                row[i] = (row[i] + b) & 255
            elif kind == 3:
                row[i] = (row[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        count += sum(1 for x in range(0, stride, channels) if min(row[x:x + 3]) < 240)
        prev = row
    return count, width * height


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
def test_the_report_renders_with_its_charts_in_headless_chromium(history, driver, fake, tmp_path):
    mark = run(driver, fake, "UCHAIR", "/group", "report")
    fake.wait_for("files.completeUploadExternal", after=mark)
    page = tmp_path / "report.html"
    page.write_bytes(fake.files()[-1]["content"])
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--hide-scrollbars", f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    data = shot.read_bytes()
    dark, total = non_white(data)
    assert dark / total > 0.03, f"the page looks blank: {dark} of {total} pixels are not white"
    # The charts are drawn: the lower half of the page (the charts and tables) is not blank either.
    assert dark > 20000
