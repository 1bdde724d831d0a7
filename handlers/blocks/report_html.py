"""The progress report as one self-contained HTML page (charts inlined as base64 PNG, inline CSS, no
external assets), and the short summary posted in the channel. Words in templates/report.yml and
templates/report.html.j2; member text is escaped by the page's autoescape."""

from __future__ import annotations

import base64
from datetime import date

from bot.services.report import ReportData
from bot.texts import Texts
from handlers.blocks.charts import charts, words
from handlers.blocks.plan_files import html_env


def report_html(data: ReportData, images: dict[str, bytes] | None = None) -> str:
    pngs = images if images is not None else charts(data)
    w = words()
    open_total = sum(data.totals.get(s, 0) for s in ("not-started", "in-progress", "blocked"))
    kpis = [("Actions in the plan", sum(v for k, v in data.totals.items() if k != "overdue")),
            (w["statuses"]["done"], data.totals.get("done", 0)), ("Open", open_total),
            (w["overdue"], data.totals["overdue"]), (w["statuses"]["blocked"], data.totals.get("blocked", 0))]
    return html_env().get_template("report.html.j2").render(
        r=data, w=w, day=_day, open_total=open_total, kpis=kpis,
        images={k: base64.b64encode(v).decode("ascii") for k, v in pngs.items()})


def report_filename(data: ReportData) -> str:
    return f"progress-report-{data.period_to.isoformat()}.html"


def report_summary(data: ReportData, texts: Texts) -> str:
    open_total = sum(data.totals.get(s, 0) for s in ("not-started", "in-progress", "blocked"))
    return texts.ui("report_summary", group=data.group, start=_day(data.period_from), end=_day(data.period_to),
                    meetings=data.meetings_in_period, new=data.new_actions, done=len(data.highlights),
                    open=open_total, overdue=data.totals["overdue"], blocked=data.totals.get("blocked", 0))


def _day(day: date) -> str:
    return day.strftime("%-d %B %Y")
