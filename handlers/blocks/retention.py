"""The group's retention schedule in plain words, for `/group retention` (an ephemeral message)."""

from __future__ import annotations

from bot.services.retention import GroupRetention, KindSetting
from bot.texts import Texts


def retention_text(view: GroupRetention, texts: Texts) -> str:
    if view.changed is not None:
        changed = next(s for s in view.settings if s.kind is view.changed)
        return "\n".join([texts.ui("retention_changed", line=_line(changed, texts).removeprefix("• ")),
                          "", *_schedule(view, texts)])
    return "\n".join(_schedule(view, texts))


def _schedule(view: GroupRetention, texts: Texts) -> list[str]:
    return [texts.ui("retention_header", group=view.group), *(_line(s, texts) for s in view.settings),
            texts.ui("retention_footer")]


def _line(setting: KindSetting, texts: Texts) -> str:
    line = texts.ui(f"retention_{setting.kind.value}", period=texts.ui("retention_period", months=setting.months))
    if setting.own:
        line += " " + texts.ui("retention_own", default=texts.ui("retention_period", months=setting.default))
    return line
