"""Web API methods about what people see in conversations: chat.*, reactions.*, files.*, and reading
messages back (conversations.history and .replies) with Slack's filters and its metadata rule."""

from __future__ import annotations

import copy
import mimetypes
import time
from typing import Any

from tests.standin.api_directory import Handler, paginate
from tests.standin.blocks import with_generated_ids
from tests.standin.state import ApiError, Json, Workspace, ts_key
from tests.standin.validate import check_message

MAX_TEXT = 40_000
TRUE = (True, 1, "true", "1")


def _content(ws: Workspace, args: Json, salt: str) -> Json:
    """The visible parts of a message as Slack stores them (text truncated, block ids filled in)."""
    check_message(args)
    found: Json = {"text": str(args.get("text") or "")[:MAX_TEXT]}
    for key in ("blocks", "attachments", "metadata"):
        if args.get(key) is not None:
            found[key] = copy.deepcopy(args[key])
    if "blocks" in found:
        with_generated_ids(found["blocks"], salt)
    return found


def _own(ws: Workspace, message: Json, error: str) -> None:
    if message.get("user") != ws.bot_user_id:
        raise ApiError(error)


def chat_post_message(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    message: Json = {"user": ws.bot_user_id, "bot_id": ws.bot_id, "app_id": ws.app_id}
    message.update(_content(ws, args, f"msg{ws.next_id()}"))
    if args.get("thread_ts"):
        message["thread_ts"] = str(args["thread_ts"])
        message["parent_user_id"] = ws.messages[channel["id"]].get(message["thread_ts"], {}).get("user")
    stored = ws.add_message(channel["id"], message)
    ws.timeline.add(
        "bot", "message", ws.bot_user_id, channel["id"], stored["text"], message=copy.deepcopy(stored)
    )
    return {"channel": channel["id"], "ts": stored["ts"], "message": copy.deepcopy(stored)}


def chat_update(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    message = ws.message(channel["id"], args.get("ts"))
    _own(ws, message, "cant_update_message")
    previous = copy.deepcopy(message)
    merged = {k: v for k, v in message.items() if k in ("text", "blocks", "attachments")}
    merged.update({k: v for k, v in args.items() if k in ("text", "blocks", "attachments")})
    message.update(_content(ws, merged, f"upd{ws.next_id()}"))
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    ws.timeline.add(
        "bot",
        "update",
        ws.bot_user_id,
        channel["id"],
        message["text"],
        message=copy.deepcopy(message),
        previous=previous,
    )
    return {
        "channel": channel["id"],
        "ts": message["ts"],
        "text": message["text"],
        "message": copy.deepcopy(message),
    }


def chat_post_ephemeral(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    if not args.get("user"):
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: user"]}
        )
    user = ws.user(args["user"])["id"]
    if user not in channel["members"]:
        raise ApiError("user_not_in_channel")
    ephemeral: Json = {"channel": channel["id"], "user": user, "ts": ws.next_ts()}
    ephemeral.update(_content(ws, args, f"eph{ws.next_id()}"))
    if args.get("thread_ts"):
        ephemeral["thread_ts"] = str(args["thread_ts"])
    ws.ephemerals.append(ephemeral)
    ws.timeline.add(
        "bot", "ephemeral", ws.bot_user_id, channel["id"], ephemeral["text"], message=dict(ephemeral)
    )
    return {"message_ts": ephemeral["ts"]}


def chat_delete(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    message = ws.message(channel["id"], args.get("ts"))
    _own(ws, message, "cant_delete_message")
    del ws.messages[channel["id"]][message["ts"]]
    ws.timeline.add("bot", "delete", ws.bot_user_id, channel["id"], message.get("text", ""), message=message)
    return {"channel": channel["id"], "ts": message["ts"]}


def chat_get_permalink(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    message = ws.message(channel["id"], args.get("message_ts"))
    link = f"https://{ws.team_domain}.slack.com/archives/{channel['id']}/p{message['ts'].replace('.', '')}"
    if message.get("thread_ts") not in (None, message["ts"]):
        link += f"?thread_ts={message['thread_ts']}&cid={channel['id']}"
    return {"channel": channel["id"], "permalink": link}


def react(ws: Workspace, channel_id: Any, ts: Any, name: Any, user: str, add: bool) -> Json:
    """Add or remove one person's reaction; shared by the API and by the driver's user reactions."""
    channel = ws.channel(channel_id)
    message = ws.message(channel["id"], ts)
    name = str(name or "").strip(":")
    if not name:
        raise ApiError("invalid_name")
    reactions: list[Json] = message.setdefault("reactions", [])
    entry = next((r for r in reactions if r["name"] == name), None)
    if add:
        if entry is None:
            entry = {"name": name, "users": [], "count": 0}
            reactions.append(entry)
        if user in entry["users"]:
            raise ApiError("already_reacted")
        entry["users"].append(user)
    else:
        if entry is None or user not in entry["users"]:
            raise ApiError("no_reaction")
        entry["users"].remove(user)
    entry["count"] = len(entry["users"])
    message["reactions"] = [r for r in reactions if r["count"]] or []
    if not message["reactions"]:
        del message["reactions"]
    return message


def _reaction(add: bool) -> Handler:
    def handler(ws: Workspace, args: Json) -> Json:
        message = react(ws, args.get("channel"), args.get("timestamp"), args.get("name"), ws.bot_user_id, add)
        channel = ws.channel(args.get("channel"))["id"]
        name = str(args.get("name")).strip(":")
        ws.timeline.add(
            "bot",
            "reaction" if add else "unreaction",
            ws.bot_user_id,
            channel,
            name,
            name=name,
            message=copy.deepcopy(message),
        )
        return {}

    return handler


def files_get_upload_url(ws: Workspace, args: Json) -> Json:
    if not args.get("filename") or not str(args.get("length") or "").isdigit():
        raise ApiError("invalid_arguments")
    file_id = f"F{ws.next_id():04d}"
    ws.files[file_id] = {
        "id": file_id,
        "name": str(args["filename"]),
        "length": int(args["length"]),
        "content": None,
    }
    return {"upload_url": f"{ws.base_url}/upload/{file_id}", "file_id": file_id}


def files_complete_upload(ws: Workspace, args: Json) -> Json:
    wanted = args.get("files")
    if not isinstance(wanted, list) or not wanted:
        raise ApiError("invalid_arguments")
    channels = [c for c in str(args.get("channels") or "").split(",") if c]
    if args.get("channel_id"):
        channels.insert(0, str(args["channel_id"]))
    targets = [ws.channel(c)["id"] for c in channels]
    done = []
    for item in wanted:
        record = ws.files.get(str(item.get("id"))) if isinstance(item, dict) else None
        if record is None or record.get("content") is None:
            raise ApiError("file_not_found")
        record.update(
            title=item.get("title") or record["name"],
            channels=targets,
            channel=targets[0] if targets else None,
            initial_comment=args.get("initial_comment"),
            thread_ts=args.get("thread_ts"),
            mimetype=mimetypes.guess_type(record["name"])[0] or "text/plain",
            created=int(time.time()),
            user=ws.bot_user_id,
            completed=True,
        )
        done.append(record)
    shared = [{k: v for k, v in f.items() if k not in ("content", "channels")} for f in done]
    for channel in targets:
        message = {
            "user": ws.bot_user_id,
            "bot_id": ws.bot_id,
            "text": str(args.get("initial_comment") or ""),
            "files": copy.deepcopy(shared),
            "upload": True,
        }
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        ws.add_message(channel, message)
    for record in done:
        ws.timeline.add("bot", "file", ws.bot_user_id, record["channel"], record["title"], file=dict(record))
    return {"files": [{"id": f["id"], "title": f["title"]} for f in done]}


def _bound(args: Json, name: str, default: tuple[int, int]) -> tuple[int, int]:
    try:
        return ts_key(str(args[name])) if args.get(name) else default
    except ValueError as exc:
        raise ApiError(f"invalid_ts_{name}") from exc


def _window(args: Json) -> tuple[tuple[int, int], tuple[int, int], bool]:
    """`oldest` (default 0) and `latest` (default now), exclusive unless `inclusive` is true."""
    return _bound(args, "oldest", (0, 0)), _bound(args, "latest", (2**62, 0)), args.get("inclusive") in TRUE


def _read(messages: list[Json], args: Json, default_limit: int, max_limit: int) -> Json:
    """One page of messages within the window. Slack returns a message's `metadata` only when asked with
    include_all_metadata=true: without it, code that looks for its own message by metadata finds nothing."""
    oldest, latest, inclusive = _window(args)
    inside = [m for m in messages if (oldest <= ts_key(m["ts"]) <= latest if inclusive
                                      else oldest < ts_key(m["ts"]) < latest)]
    if str(args.get("limit") or "0").isdigit() and int(args.get("limit") or 0) > max_limit:
        args = {**args, "limit": max_limit}
    page, meta = paginate(inside, args, default_limit)
    shown = copy.deepcopy(page)
    if args.get("include_all_metadata") not in TRUE:
        for message in shown:
            message.pop("metadata", None)
    return {"messages": shown, "has_more": bool(meta["next_cursor"]), "response_metadata": meta}


def conversations_history(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    top = [m for m in ws.ordered(channel["id"]) if m.get("thread_ts") in (None, m["ts"])]
    top.reverse()  # newest first, as Slack answers
    return _read(top, args, 100, 999)


def conversations_replies(ws: Workspace, args: Json) -> Json:
    channel = ws.channel(args.get("channel"))
    parent = ws.message(channel["id"], args.get("ts"))
    root = parent.get("thread_ts") or parent["ts"]
    thread = [m for m in ws.ordered(channel["id"]) if m["ts"] == root or m.get("thread_ts") == root]
    return _read(thread, args, 1000, 1000)  # oldest first, the parent leading


HANDLERS: dict[str, Handler] = {
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "reactions.add": _reaction(True),
    "reactions.remove": _reaction(False),
    "files.getUploadURLExternal": files_get_upload_url,
    "files.completeUploadExternal": files_complete_upload,
}
