"""Posting the progress report: a short summary in the channel, then the HTML file with its charts.

Used by `/group report` (after the ack, in the listener's thread) and by the scheduler's tick.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.services.report import ReportData
from bot.texts import Texts
from handlers.blocks.charts import charts
from handlers.blocks.report_html import report_filename, report_html, report_summary


def post_report(client: WebClient, texts: Texts, channel: str, data: ReportData,
                metadata: dict[str, Any] | None = None) -> tuple[str, str]:
    """The summary, then the file; returns the summary's (channel, ts)."""
    answer = client.chat_postMessage(channel=channel, text=report_summary(data, texts), metadata=metadata)
    client.files_upload_v2(channel=channel, content=report_html(data, charts(data)), filename=report_filename(data),
                           title=f"{data.group}: progress report",
                           initial_comment=texts.ui("report_file_comment", group=data.group,
                                                    start=data.period_from.strftime("%-d %B %Y"),
                                                    end=data.period_to.strftime("%-d %B %Y")))
    return str(answer["channel"]), str(answer["ts"])
