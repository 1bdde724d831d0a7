"""Web API methods for modals and the Home tab (views.*), and what a view_submission answer does."""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.standin.api_directory import Handler
from tests.standin.blocks import text_of, with_generated_ids
from tests.standin.state import ApiError, Json, Workspace
from tests.standin.validate import check_view

MAX_STACK = 3


def _build(ws: Workspace, view: Any, view_id: str | None = None, old: Json | None = None) -> Json:
    check_view(view)
    vid = view_id or f"V{ws.next_id():04d}"
    stored: Json = {
        "id": vid,
        "team_id": ws.team_id,
        "type": view["type"],
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {}},
        "clear_on_close": False,
        "notify_on_close": False,
        "previous_view_id": None,
        "root_view_id": vid,
        "app_id": ws.app_id,
        "external_id": "",
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }
    if old is not None:
        stored.update({k: old[k] for k in ("previous_view_id", "root_view_id") if k in old})
    stored.update({k: copy.deepcopy(v) for k, v in view.items() if k not in ("id", "hash", "state")})
    stored["hash"] = f"{int(time.time())}.{ws.next_id():08x}"
    with_generated_ids(stored["blocks"], vid + stored["hash"])
    external = stored.get("external_id")
    if external and any(v.get("external_id") == external and k != vid for k, v in ws.views.items()):
        raise ApiError("duplicate_external_id")
    ws.views[vid] = stored
    return stored


def _log(ws: Workspace, kind: str, user: str, view: Json) -> None:
    ws.timeline.add(
        "bot", kind, ws.bot_user_id, None, text_of(view.get("title")), user=user, view=copy.deepcopy(view)
    )


def _trigger_user(ws: Workspace, args: Json) -> str:
    return ws.use_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))


def views_open(ws: Workspace, args: Json) -> Json:
    check_view(args.get("view"))
    user = _trigger_user(ws, args)
    view = _build(ws, args.get("view"))
    ws.view_user[view["id"]] = user
    ws.stacks[user] = [view["id"]]
    ws.last_modal[user] = view["id"]
    _log(ws, "view_open", user, view)
    return {"view": copy.deepcopy(view)}


def push_view(ws: Workspace, user: str, view_args: Any) -> Json:
    stack = ws.stacks.get(user) or []
    if not stack:
        raise ApiError("view_not_found")
    if len(stack) >= MAX_STACK:
        raise ApiError("push_limit_reached")
    view = _build(ws, view_args)
    view.update(previous_view_id=stack[-1], root_view_id=stack[0])
    ws.view_user[view["id"]] = user
    stack.append(view["id"])
    ws.last_modal[user] = view["id"]
    _log(ws, "view_push", user, view)
    return view


def views_push(ws: Workspace, args: Json) -> Json:
    check_view(args.get("view"))
    return {"view": copy.deepcopy(push_view(ws, _trigger_user(ws, args), args.get("view")))}


def update_view(ws: Workspace, view_id: str, view_args: Any, hash_: Any = None) -> Json:
    old = ws.views.get(view_id)
    if old is None:
        raise ApiError("not_found")
    if hash_ and hash_ != old["hash"]:
        raise ApiError("hash_conflict")
    view = _build(ws, view_args, view_id, old)
    user = ws.view_user.get(view_id, "")
    if view["type"] == "modal":
        ws.last_modal[user] = view_id
    _log(ws, "view_update" if view["type"] == "modal" else "home", user, view)
    return view


def views_update(ws: Workspace, args: Json) -> Json:
    view_id = args.get("view_id")
    if not view_id and args.get("external_id"):
        view_id = next((k for k, v in ws.views.items() if v.get("external_id") == args["external_id"]), None)
    if not view_id:
        raise ApiError("not_found")
    return {"view": copy.deepcopy(update_view(ws, str(view_id), args.get("view"), args.get("hash")))}


def views_publish(ws: Workspace, args: Json) -> Json:
    user = ws.user(args.get("user_id"))["id"]
    check_view(args.get("view"))
    if (args.get("view") or {}).get("type") != "home":
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] view type must be home"]}
        )
    old_id = ws.home.get(user)
    if old_id and args.get("hash") and args["hash"] != ws.views[old_id]["hash"]:
        raise ApiError("hash_conflict")
    view = _build(ws, args["view"], old_id, ws.views.get(old_id or ""))
    ws.home[user] = view["id"]
    ws.view_user[view["id"]] = user
    _log(ws, "home", user, view)
    return {"view": copy.deepcopy(view)}


def close_view(ws: Workspace, user: str, view_id: str, clear: bool = False) -> None:
    """The modal goes away (submitted or closed): the view under it shows again, or none if cleared."""
    stack = ws.stacks.get(user) or []
    if clear:
        stack.clear()
    elif view_id in stack:
        del stack[stack.index(view_id) :]


def answer_submission(ws: Workspace, user: str, view_id: str, answer: Any) -> None:
    """Apply the bot's view_submission answer (response_action) the way Slack's client does."""
    action = answer.get("response_action") if isinstance(answer, dict) else None
    if action == "errors":
        view = ws.views.get(view_id, {})
        labels = {b.get("block_id"): text_of(b.get("label")) for b in view.get("blocks") or []}
        errors = answer.get("errors") or {}
        shown = "; ".join(f"{labels.get(k) or k}: {v}" for k, v in errors.items())
        ws.timeline.add(
            "bot", "view_errors", ws.bot_user_id, None, shown, user=user, view=copy.deepcopy(view)
        )
        return
    if action == "update":
        update_view(ws, view_id, answer.get("view"))
    elif action == "push":
        push_view(ws, user, answer.get("view"))
    else:
        close_view(ws, user, view_id, clear=action == "clear")


HANDLERS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
