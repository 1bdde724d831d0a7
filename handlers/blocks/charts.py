"""The progress report's charts, drawn by matplotlib as PNG bytes (Agg: no display, no GUI toolkit).

The object-oriented API (a `Figure` per chart, no pyplot) keeps no global state, so two reports built at
once in listener threads do not draw on each other's figures.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

import yaml  # noqa: E402
from matplotlib import dates as mdates  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.domain.action_status import Status  # noqa: E402
from bot.services.report import ReportData  # noqa: E402
from bot.texts import TEMPLATES_DIR  # noqa: E402

COLOURS = {"not-started": "#9aa5ab", "in-progress": "#2b7bb9", "done": "#2e8b57", "blocked": "#c0392b",
           "dropped": "#d5d8dc"}
LINE, ACCENT = "#2b5f75", "#e67e22"
SIZE, DPI = (7.0, 3.2), 100


@cache
def words() -> dict[str, Any]:
    with open(TEMPLATES_DIR / "report.yml", encoding="utf-8") as f:
        loaded: dict[str, Any] = yaml.safe_load(f)
    return loaded


def charts(data: ReportData) -> dict[str, bytes]:
    """Chart key -> PNG, in the order the report shows them."""
    drawers: dict[str, Callable[[Axes, ReportData], bool]] = {
        "by_theme": _by_theme, "over_time": _over_time, "overdue": _overdue, "attendance": _attendance,
        "signoff": _signoff, "response": _response, "ratings": _ratings}
    return {key: _png(key, draw, data) for key, draw in drawers.items()}


def _png(key: str, draw: Callable[[Axes, ReportData], bool], data: ReportData) -> bytes:
    fig = Figure(figsize=SIZE, dpi=DPI)
    ax = fig.add_subplot()
    ax.set_title(words()["charts"][key], fontsize=11, loc="left")
    if not draw(ax, data):
        ax.set_axis_off()
        ax.text(0.5, 0.5, words()["no_data"], ha="center", va="center", fontsize=11, color="#555")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _by_theme(ax: Axes, data: ReportData) -> bool:
    if not data.by_theme:
        return False
    themes = list(data.by_theme)[::-1]
    left = [0] * len(themes)
    for status in Status:
        counts = [data.by_theme[t].get(status.value, 0) for t in themes]
        ax.barh([_short(t) for t in themes], counts, left=left, color=COLOURS[status.value],
                label=words()["statuses"][status.value])
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_xlabel(words()["axes"]["actions"])
    ax.set_xlim(0, max(left) * 1.35 or 1)  # room on the right for the legend, clear of the bars
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=7, loc="upper right", frameon=False)
    ax.tick_params(axis="y", labelsize=7)
    return True


def _over_time(ax: Axes, data: ReportData) -> bool:
    if not any(o or d for _, o, d, _ in data.timeline):
        return False
    days = _x([t[0] for t in data.timeline], ax)
    ax.plot(days, [t[1] for t in data.timeline], color=LINE, label=words()["axes"]["open"])
    ax.plot(days, [t[2] for t in data.timeline], color=COLOURS["done"], label=words()["axes"]["done"])
    _mark_period(ax, data)
    ax.set_ylabel(words()["axes"]["actions"])
    ax.legend(fontsize=8, frameon=False)
    ax.tick_params(axis="x", labelsize=7)
    return True


def _overdue(ax: Axes, data: ReportData) -> bool:
    if not data.timeline:
        return False
    days = _x([t[0] for t in data.timeline], ax)
    ax.fill_between(days, [t[3] for t in data.timeline], color=ACCENT, alpha=0.5)
    ax.plot(days, [t[3] for t in data.timeline], color=ACCENT)
    _mark_period(ax, data)
    ax.set_ylabel(words()["axes"]["actions"])
    ax.tick_params(axis="x", labelsize=7)
    return True


def _attendance(ax: Axes, data: ReportData) -> bool:
    if not data.attendance:
        return False
    ax.bar([n for n, _, _ in data.attendance], [p for _, _, p in data.attendance], color=LINE)
    _whole_numbers(ax)
    ax.set_xlabel(words()["axes"]["meeting"])
    ax.set_ylabel(words()["axes"]["people"])
    return True


def _signoff(ax: Axes, data: ReportData) -> bool:
    if not data.signoff:
        return False
    versions = [f"v{v}" for v, _, _ in data.signoff]
    signed = [s for _, s, _ in data.signoff]
    ax.bar(versions, signed, color=COLOURS["done"], label=words()["axes"]["signed"])
    ax.bar(versions, [e - s for _, s, e in data.signoff], bottom=signed, color=COLOURS["not-started"],
           label=words()["axes"]["not_signed"])
    ax.set_xlabel(words()["axes"]["version"])
    ax.legend(fontsize=8, frameon=False)
    return True


def _response(ax: Axes, data: ReportData) -> bool:
    if not data.response:
        return False
    rates = [100 * a / i for _, a, i in data.response]
    ax.plot(_x([w for w, _, _ in data.response], ax), rates, color=LINE, marker=".")
    ax.set_ylim(0, 105)
    ax.set_ylabel(words()["axes"]["percent"])
    ax.tick_params(axis="x", labelsize=7)
    return True


def _ratings(ax: Axes, data: ReportData) -> bool:
    if not data.ratings:
        return False
    ax.bar([n for n, _, _ in data.ratings], [r for _, r, _ in data.ratings], color=ACCENT)
    _whole_numbers(ax)
    ax.set_ylim(0, 5)
    ax.set_xlabel(words()["axes"]["meeting"])
    ax.set_ylabel(words()["axes"]["rating"])
    return True


def _mark_period(ax: Axes, data: ReportData) -> None:
    if data.timeline and data.period_from > data.timeline[0][0]:
        ax.axvline(float(mdates.date2num(data.period_from)), color="#555", linestyle="--", linewidth=1,
                   label=words()["axes"]["period_start"])


def _x(days: list[date], ax: Axes) -> Any:
    """Days as matplotlib's date numbers, with the axis labelled as dates."""
    ax.xaxis_date()
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return mdates.date2num(days)


def _whole_numbers(ax: Axes) -> None:
    """Meetings are numbered 1, 2, 3: never 1.25."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _short(theme: str) -> str:
    return theme if len(theme) <= 38 else theme[:36] + "…"
