"""The App Home tab: each of my groups, its meeting, and the agreement waiting for my signature."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.services.home import HomeGroup
from bot.texts import Texts
from handlers.blocks.common import actions, button, context, header, local_date, sections
from handlers.ids import Act


def home_view(groups: tuple[HomeGroup, ...], texts: Texts) -> dict[str, Any]:
    blocks: list[Block] = [header(texts.ui("home_title"))]
    if not groups:
        blocks += sections(texts.ui("home_no_groups"))
    for item in groups[:12]:  # 8 blocks a group at most keeps the tab under Slack's 100
        blocks += _group(item, texts)
    return View(type="home", blocks=blocks[:100]).to_dict()


def _group(item: HomeGroup, texts: Texts) -> list[Block]:
    g = item.group
    blocks: list[Block] = [DividerBlock(), *sections(texts.ui("home_group", name=g.name, channel=g.channel_id,
                                                                 role=item.role))]
    if item.meeting:
        blocks.append(context(texts.ui("home_meeting", number=item.meeting.number,
                                       stage=texts.stage(item.meeting.stage, "title"))))
    if item.to_sign:
        a = item.to_sign
        blocks += sections(texts.ui("home_to_sign", version=a.version,
                                    date=local_date(a.published_at, g.timezone)))
        blocks += sections(a.text)[:3]
        blocks.append(actions(button(texts.ui("sign_button"), Act.SIGN, str(a.id), "primary"),
                              block_id=f"home-sign:{a.id}"))
    elif item.group:
        blocks.append(context(texts.ui("home_nothing_to_sign")))
    return blocks
