"""Web API methods about who and where: auth, team, users and conversations."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from tests.standin.state import ApiError, Json, Workspace

Handler = Callable[[Workspace, Json], Json]


def paginate(items: list[Any], args: Json, default_limit: int) -> tuple[list[Any], Json]:
    """Cursor pagination as Slack does it: an opaque next_cursor, "" on the last page."""
    try:
        start = int(base64.b64decode(str(args.get("cursor") or "")).decode().partition(":")[2] or 0)
        limit = int(args.get("limit") or default_limit) or len(items) or 1
    except ValueError as exc:
        raise ApiError("invalid_cursor") from exc
    page = items[start : start + limit]
    more = start + limit < len(items)
    cursor = base64.b64encode(f"next:{start + limit}".encode()).decode() if more else ""
    return page, {"next_cursor": cursor}


def auth_test(ws: Workspace, args: Json) -> Json:
    return {
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": "Care Home Test",
        "user": ws.bot_name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def team_info(ws: Workspace, args: Json) -> Json:
    return {"team": {"id": ws.team_id, "name": "Care Home Test", "domain": ws.team_domain}}


def users_info(ws: Workspace, args: Json) -> Json:
    return {"user": ws.user(args.get("user"))}


def users_list(ws: Workspace, args: Json) -> Json:
    members, meta = paginate(list(ws.users.values()), args, 0)
    return {"members": members, "cache_ts": 0, "response_metadata": meta}


def public_channel(ws: Workspace, channel: Json) -> Json:
    shown = {k: v for k, v in channel.items() if k != "members"}
    shown["is_member"] = ws.bot_user_id in channel["members"] or bool(channel.get("is_im"))
    if not channel.get("is_im"):
        shown["num_members"] = len(channel["members"])
    return shown


def conversations_open(ws: Workspace, args: Json) -> Json:
    if args.get("channel"):
        channel = ws.channel(args["channel"])
    else:
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise ApiError("users_list_not_supplied")
        for user in users:
            ws.user(user)
        if len(users) > 1:
            raise ApiError("not_supported", detail="the stand-in opens one-to-one DMs only")
        channel = ws.dm(users[0])
    return {"no_op": True, "already_open": True, "channel": public_channel(ws, channel)}


def conversations_info(ws: Workspace, args: Json) -> Json:
    return {"channel": public_channel(ws, ws.channel(args.get("channel")))}


def conversations_members(ws: Workspace, args: Json) -> Json:
    members, meta = paginate(ws.channel(args.get("channel"))["members"], args, 100)
    return {"members": members, "response_metadata": meta}


def conversations_list(ws: Workspace, args: Json) -> Json:
    found = [public_channel(ws, c) for c in ws.channels.values() if not c.get("is_im")]
    channels, meta = paginate(found, args, 100)
    return {"channels": channels, "response_metadata": meta}


def conversations_join(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    if ws.bot_user_id not in channel["members"]:
        channel["members"].append(ws.bot_user_id)
    return {"channel": public_channel(ws, channel)}


HANDLERS: dict[str, Handler] = {
    "auth.test": auth_test,
    "team.info": team_info,
    "users.info": users_info,
    "users.list": users_list,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "conversations.list": conversations_list,
    "conversations.join": conversations_join,
}
