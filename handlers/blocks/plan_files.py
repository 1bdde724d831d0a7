"""The action plan as a file (CSV for Excel, Markdown, one printable HTML page) and the check-ins as CSV.

CSV is what a council officer opens in Excel: UTF-8 with a byte-order mark (without it Excel reads the
file as the local code page and mangles names), dates as ISO dates (Excel reads them as dates), and any
cell that starts like a formula (= + - @, tab, carriage return) written as text with a leading quote,
since a file of members' words must never run as a spreadsheet formula. HTML is escaped by Jinja's
autoescape: member text is shown, never interpreted.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.services.exports import ActionPlan, CheckinExport, PlanRow
from bot.texts import TEMPLATES_DIR

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@cache
def words() -> dict[str, Any]:
    with open(TEMPLATES_DIR / "action_plan.yml", encoding="utf-8") as f:
        loaded: dict[str, Any] = yaml.safe_load(f)
    return loaded


@cache
def html_env() -> Environment:
    """Jinja for files read in a browser: HTML autoescape on (unlike the Slack templates, whose filter
    escapes only what mrkdwn needs)."""
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def safe_cell(value: str) -> str:
    """A cell Excel will show as text, never evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def status_label(row: PlanRow) -> str:
    label = str(words()["statuses"].get(row.status, row.status))
    return f"{label} ({words()['overdue']})" if row.overdue else label


def target_label(row: PlanRow) -> str:
    """As the plan wrote it, with the day the bot counts from; else the day."""
    day = row.target.strftime("%-d %b %Y") if row.target else ""
    if row.target_text:
        return f"{row.target_text} ({day})" if day and day not in row.target_text else row.target_text
    return day


def latest_label(row: PlanRow) -> str:
    return f"{row.latest_update_on.isoformat()}: {row.latest_update}" if row.latest_update_on else ""


def plan_cells(row: PlanRow) -> list[str]:
    """One row in column order, as text (the CSV writes the target as an ISO date instead)."""
    return [row.ref, row.objective, row.action, row.prerequisites, row.responsible,
            row.lead + ("" if row.lead_in_group or not row.lead else f" ({words()['not_in_group']})"),
            target_label(row), status_label(row), latest_label(row)]


def plan_csv(plan: ActionPlan) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cols = words()["columns"]
    writer.writerow([cols[k] for k in ("ref", "objective", "action", "prerequisites", "responsible", "lead",
                                       "target", "status", "latest")])
    for row in _ordered(plan):
        cells = plan_cells(row)
        cells[6] = row.target.isoformat() if row.target else row.target_text
        writer.writerow([safe_cell(c) for c in cells])
    return (BOM + out.getvalue()).encode("utf-8")


def plan_markdown(plan: ActionPlan) -> str:
    w, cols = words(), words()["columns"]
    header = [cols[k] for k in ("ref", "objective", "action", "prerequisites", "responsible", "lead", "target",
                                "status", "latest")]
    lines = [f"# {w['title']}: {_md(plan.group)}", "", w["generated"].format(when=plan.generated), ""]
    if plan.filters.words:
        lines += [w["filters"].format(filters=", ".join(plan.filters.words)), ""]
    for title, rows in _sections(plan):
        if title:
            lines += [f"## {_md(title)}", ""]
        if not rows:
            lines += [w["none"], ""]
            continue
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_md(c) for c in plan_cells(r)) + " |" for r in rows]
        lines.append("")
    return "\n".join(lines)


def plan_html(plan: ActionPlan) -> str:
    w = words()
    cols = w["columns"]
    return html_env().get_template("action_plan.html.j2").render(
        plan=plan, w=w, header=[cols[k] for k in ("ref", "objective", "action", "prerequisites", "responsible",
                                                   "lead", "target", "status", "latest")],
        sections=[(title, [plan_cells(r) for r in rows], [r.overdue for r in rows])
                  for title, rows in _sections(plan)])


def checkins_csv(export: CheckinExport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cols = words()["checkin_columns"]
    writer.writerow([cols[k] for k in ("week", "home", "manager", "question", "answer", "chairs_only", "answered")])
    for r in export.rows:
        writer.writerow([r.week.isoformat(), safe_cell(r.home), safe_cell(r.manager), safe_cell(r.question),
                         safe_cell(r.answer), "yes" if r.chairs_only else "no", r.answered_on.isoformat()])
    return (BOM + out.getvalue()).encode("utf-8")


def _ordered(plan: ActionPlan) -> list[PlanRow]:
    return [r for _, rows in plan.by_agency for r in rows] if plan.filters.by_agency else list(plan.rows)


def _sections(plan: ActionPlan) -> list[tuple[str, tuple[PlanRow, ...]]]:
    if plan.filters.by_agency:
        return list(plan.by_agency) or [("", ())]
    return [("", plan.rows)]


def _md(text: str) -> str:
    """A table cell: pipes escaped, lines joined (a newline would end the table row)."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())
