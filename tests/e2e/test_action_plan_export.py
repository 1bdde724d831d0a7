"""Journey: a group's action plan exported as CSV, Markdown and HTML through `/group export actions`, and
read back the way its readers would (the csv module, an HTML parser), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from storage.models import Action, AuditEntry
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, give_roles, posted, set_up_group

HEADER = ["Ref", "Objective / area of improvement", "Action", "Prerequisites / interdependencies",
          "Person(s) responsible", "Lead organisation", "Target date", "Status", "Latest update"]
INJECTION = '=HYPERLINK("http://example.org/x","Click me")'


def run(driver, fake, user: str, command: str, text: str) -> int:
    mark = fake.mark()
    driver.command(user, CHANNEL, command, text)
    return mark


def add(driver, fake, text: str) -> None:
    mark = run(driver, fake, "UCHAIR", "/actions", f"add {text}")
    posted(fake, "A-", after=mark)


@pytest.fixture
def plan(bot, driver, fake, db, clock):
    """Four actions: one with prerequisites (the form), one done with a final note, one blocked and overdue,
    one whose description starts like a spreadsheet formula."""
    set_up_group(driver, fake)
    give_roles(driver, fake)
    add(driver, fake, 'Run a falls workshop for night staff owner <@UNHS> agency "NHS Falls Team" '
                      "theme Managing transitions due 2027-01-15")
    mark = run(driver, fake, "UCHAIR", "/actions", "add")
    fake.wait_for("views.open", after=mark)
    answer = driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {
        "description": "Agree a shared hospital discharge checklist", "owner": "UMGR1",
        "agency": "Guy's and St Thomas'", "due": "2027-03-31",
        "prerequisites": "Discharge team to name a lead; the homes' forum to agree the form"})
    assert answer.status == 200
    fake.wait_until(lambda: db.count(Action) == 2)
    add(driver, fake, "Map volunteer befriending schemes owner <@UHW> agency Healthwatch theme Creating community "
                      "due 2026-12-10")
    add(driver, fake, f"{INJECTION} owner <@UCQC> due 2027-06-30")
    for ref, status, note in (("A-1", "done", "Workshop held on 8 December, 14 night staff trained"),
                              ("A-3", "blocked", "Waiting for the council's list of schemes")):
        mark = run(driver, fake, "UNHS" if ref == "A-1" else "UHW", "/actions", f"report {ref} {status} {note}")
        posted(fake, ref, after=mark)
    # The plan's own fields (objective, a target as written, others responsible) as the edit form keeps them
    # (that form's journey is tests/e2e/test_action_edit.py): written here directly.
    with db.session() as s:
        a2 = s.scalars(select(Action).filter_by(number=2)).one()
        a2.objective, a2.target_text = "Safer discharge from hospital", "by end of March 2027"
        a2.responsible_users, a2.responsible_text = ["UMGR2"], "Discharge team lead, when appointed"
        s.commit()
    clock.advance(days=30)  # 23 December: A-3 (10 December) is now overdue


def upload(fake, mark: int) -> dict:
    fake.wait_for("files.completeUploadExternal", after=mark)
    return fake.files()[-1]


def export(driver, fake, text: str, user: str = "UMGR2") -> dict:
    return upload(fake, run(driver, fake, user, "/group", f"export actions {text}"))


def expected() -> dict[str, list[str]]:
    return {
        "A-1": ["A-1", "Managing Transitions", "Run a falls workshop for night staff", "", "Fatima Idris",
                "NHS Falls Team", "2027-01-15", "Done",
                "2026-11-23: Workshop held on 8 December, 14 night staff trained"],
        "A-2": ["A-2", "Safer discharge from hospital", "Agree a shared hospital discharge checklist",
                "Discharge team to name a lead; the homes' forum to agree the form",
                "Alex Morgan, Jo Bennett, Discharge team lead, when appointed",
                "Guy's and St Thomas'", "2027-03-31", "Not started", ""],
        "A-3": ["A-3", "Creating Community", "Map volunteer befriending schemes", "", "Grace Lee", "Healthwatch",
                "2026-12-10", "Blocked (overdue)", "2026-11-23: Waiting for the council's list of schemes"],
        "A-4": ["A-4", "", "'" + INJECTION, "", "Tom Reilly", "", "2027-06-30", "Not started", ""],
    }


def csv_rows(file: dict) -> list[list[str]]:
    raw: bytes = file["content"]
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_the_plan_as_csv_has_every_action_in_the_real_columns_and_no_formula(plan, driver, fake, db):
    file = export(driver, fake, "csv")
    assert file["name"] == "action-plan.csv" and file["channel"] == CHANNEL
    header, *rows = csv_rows(file)
    assert header == HEADER
    assert {r[0]: r for r in rows} == expected()
    text = file["content"].decode("utf-8-sig")
    assert "<@" not in text and "UNHS" not in text and "*" not in text  # names, not ids or mrkdwn
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]
    [entry] = db.all(AuditEntry, action="export.actions")
    assert (entry.actor, entry.outcome, entry.detail) == ("UMGR2", "ok", {"rows": 4})


def test_the_plan_as_markdown_reads_back_cell_for_cell(plan, driver, fake):
    file = export(driver, fake, "md")
    text = file["content"].decode()
    assert text.startswith("# Action plan: Southwark Care Home Strategy Group")
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header, *rows = [[c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")] for line in lines]
    assert header == HEADER
    want = expected()
    for ref, row in want.items():  # the Markdown shows dates as people read them and the formula as typed
        row[6] = {"A-1": "15 Jan 2027", "A-2": "by end of March 2027 (31 Mar 2027)", "A-3": "10 Dec 2026",
                  "A-4": "30 Jun 2027"}[ref]
        row[2] = row[2].removeprefix("'")
    assert {r[0]: r for r in rows} == want


class Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.tags: set[str] = set()
        self.headings: list[str] = []
        self._in_h = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in ("h1", "h2"):
            self._in_h = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag in ("h1", "h2"):
            self._in_h = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self._in_h:
            self.headings[-1] += data


def html_cells(file: dict) -> Cells:
    page = file["content"].decode()
    assert "<style>" in page and "@media print" in page  # printable, styles inline
    assert "http" not in page.replace("http://example.org/x", "")  # no external asset (the only URL is typed text)
    parser = Cells()
    parser.feed(page)
    return parser


def test_the_plan_as_html_is_one_printable_page_that_parses_back(plan, driver, fake):
    file = export(driver, fake, "html")
    parser = html_cells(file)
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    header, *rows = parser.rows
    assert header == HEADER
    want = expected()
    for ref, row in want.items():
        row[6] = {"A-1": "15 Jan 2027", "A-2": "by end of March 2027 (31 Mar 2027)", "A-3": "10 Dec 2026",
                  "A-4": "30 Jun 2027"}[ref]
        row[2] = row[2].removeprefix("'")
    assert {r[0]: r for r in rows} == want


def test_filters_and_the_grouping_by_lead_organisation(plan, driver, fake):
    def refs(text: str) -> list[str]:
        return [r[0] for r in csv_rows(export(driver, fake, f"csv {text}"))[1:]]

    assert refs("theme managing transitions") == ["A-1"]
    assert refs('agency "nhs falls"') == ["A-1"]
    assert refs("open") == ["A-2", "A-3", "A-4"]
    assert refs("overdue") == ["A-3"]
    assert refs("open agency healthwatch") == ["A-3"]
    assert refs("by agency") == ["A-2", "A-3", "A-1", "A-4"]  # Guy's, Healthwatch, NHS Falls Team, none
    parser = html_cells(export(driver, fake, "html by agency"))
    assert parser.headings[1:] == ["Guy's and St Thomas'", "Healthwatch", "NHS Falls Team", "No lead organisation yet"]
    comment = fake.files()[-1]["initial_comment"]
    assert "Everyone in this channel can see this file" in comment


def test_an_outsider_is_refused_and_bad_input_says_the_right_form(plan, driver, fake, db):
    mark = run(driver, fake, "UOUTSIDER", "/group", "export actions csv")
    assert "Only members of this group can see its record" in ephemeral_to(fake, "UOUTSIDER", mark)
    assert not [c for c in fake.calls[mark:] if c.method == "files.completeUploadExternal"]
    [refusal] = db.all(AuditEntry, actor="UOUTSIDER", action="export.actions")
    assert refusal.outcome == "refused"
    for text in ("export actions pdf", "export actions csv colour blue", "export actions csv theme"):
        mark = run(driver, fake, "UMGR2", "/group", text)
        assert "/group export actions csv|md|html" in ephemeral_to(fake, "UMGR2", mark)
    mark = run(driver, fake, "UMGR2", "/group", "export actions csv theme Gardening")
    assert 'no theme called "Gardening"' in ephemeral_to(fake, "UMGR2", mark)
    assert len(fake.files()) == 0


def test_the_plans_dates_are_in_the_groups_calendar(plan, driver, fake, clock):
    clock.advance(days=-30)
    rows = csv_rows(export(driver, fake, "csv overdue"))[1:]
    assert rows == []  # on 23 November nothing was overdue yet
