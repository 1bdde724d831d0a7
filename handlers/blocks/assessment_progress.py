"""The homes' levels over time as a PNG chart (the table is in handlers/blocks/assessment.py).

The chart is drawn like the progress report's (handlers/blocks/charts.py): matplotlib's object API on
the Agg backend, one small panel per theme, a line per home across its assessments, levels 1 to 4.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bot.domain.assessment import LEVELS, Progress  # noqa: E402
from bot.texts import Texts  # noqa: E402

COLOURS = ("#2b5f75", "#e67e22", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d")


def progress_chart(p: Progress, texts: Texts) -> bytes:
    """A PNG: one panel per theme, each home's level (1-4) at each completed assessment."""
    cols = 4
    rows = max(1, -(-len(p.themes) // cols))
    fig = Figure(figsize=(11.0, 2.6 * rows), dpi=100)
    fig.suptitle(texts.ui("progress_chart_title", group=p.group), fontsize=12, x=0.01, ha="left")
    homes: dict[str, list[tuple[date, tuple[int | None, ...]]]] = defaultdict(list)
    for h in p.assessments:
        homes[h.home].append((h.on, h.levels))
    for t, theme in enumerate(p.themes):
        ax = fig.add_subplot(rows, cols, t + 1)
        ax.set_title(theme, fontsize=9, loc="left")
        for i, (home, points) in enumerate(homes.items()):
            xs = [float(mdates.date2num(on)) for on, levels in points if levels[t]]
            ys = [float(levels[t] or 0) for _, levels in points if levels[t]]
            ax.plot(xs, ys, marker="o", color=COLOURS[i % len(COLOURS)], label=home if t == 0 else None)
        ax.set_ylim(0.5, LEVELS + 0.5)
        ax.set_yticks(range(1, LEVELS + 1))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %y"))
        ax.tick_params(labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    if homes:
        fig.legend(loc="lower center", ncol=min(4, len(homes)), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 0.95))
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
