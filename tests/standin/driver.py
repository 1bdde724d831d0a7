"""SlackDriver: what Slack sends the bot when people act (commands, clicks, modal submissions, events),
signed like Slack, recorded on the fake's timeline as what the person did."""

from __future__ import annotations

from typing import Any, Unpack

from tests.standin import events
from tests.standin.actions import build_action, describe_action, find_element
from tests.standin.blocks import Block, elements, find_button, text_of
from tests.standin.driver_events import EventDriver
from tests.standin.state import ApiError, Json
from tests.standin.transport import Response, SendOptions
from tests.standin.view_state import build_state, summarize_state


class SlackDriver(EventDriver):
    """Construct with (bot_url, fake, signing_secret=None, clock=None); see SignedSender."""

    # Slash commands ----------------------------------------------------------------------------
    def command(
        self, user: str, channel: str, command: str, text: str = "", **opts: Unpack[SendOptions]
    ) -> Response:
        ws, found = self.fake.ws, self.fake.channel(channel) or {}
        fields = {
            "token": events.VERIFICATION_TOKEN,
            "team_id": ws.team_id,
            "team_domain": ws.team_domain,
            "channel_id": channel,
            "channel_name": found.get("name") or "directmessage",
            "user_id": user,
            "user_name": self._user(user)["name"],
            "command": command,
            "text": text,
            "api_app_id": ws.app_id,
            "is_enterprise_install": "false",
            "response_url": self.fake.new_response_url(channel, user),
            "trigger_id": self.fake.issue_trigger(user),
        }
        self.fake.record_user_action(user, "command", f"{command} {text}".strip(), channel)
        return self._form(fields, **opts)

    # Block actions -----------------------------------------------------------------------------
    def click(
        self,
        user: str,
        action_id: str,
        value: str | None = None,
        *,
        channel: str | None = None,
        message_ts: str | None = None,
        block_id: str | None = None,
        view: Json | None = None,
        selected_option: Any = None,
        selected_options: list[Any] | None = None,
        selected_user: str | None = None,
        ephemeral: bool = False,
        **opts: Unpack[SendOptions],
    ) -> Response:
        """A block_actions payload; the element is looked up in what was drawn to fill in its details."""
        message = self.fake.message(channel, message_ts) if channel and message_ts and not ephemeral else None
        if ephemeral and channel and message_ts:
            message = next((e for e in self.fake.ephemerals(user) if e["ts"] == message_ts), None)
        if view is not None:
            view = self.fake.view(view["id"]) or view
        blocks = (view or message or {}).get("blocks")
        block, element = find_element(blocks, action_id, block_id, value)
        action = build_action(
            block, element, action_id, block_id, value, selected_option, selected_options, selected_user
        )
        payload = self._base("block_actions", user)
        payload.update(trigger_id=self.fake.issue_trigger(user), state={"values": {}}, actions=[action])
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = {**view, "state": {"values": build_state(view, {})}}
        elif channel is not None:
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["channel"] = {"id": channel, "name": (self.fake.channel(channel) or {}).get("name", "")}
            if message is not None and not ephemeral:
                payload["message"] = message
            payload["response_url"] = self.fake.new_response_url(channel, user, message_ts)
        where = "Home tab" if (view or {}).get("type") == "home" else None
        self.fake.record_user_action(
            user, "click", describe_action(action), channel, where=where, action=action
        )
        return self._interaction(payload, **opts)

    def click_button(
        self,
        user: str,
        channel: str,
        ts: str,
        text_or_action_id: str,
        *,
        value: str | None = None,
        **opts: Unpack[SendOptions],
    ) -> Response:
        """Press a button really drawn in a stored message (by action_id or visible text)."""
        message = self.fake.message(channel, ts)
        if message is None:
            raise AssertionError(f"no message {ts} in {channel}")
        block, element = find_button(message.get("blocks"), text_or_action_id, value)
        return self.click(
            user,
            element["action_id"],
            element.get("value"),
            channel=channel,
            message_ts=ts,
            block_id=block.get("block_id"),
            **opts,
        )

    def click_ephemeral_button(
        self, user: str, text_or_action_id: str, *, value: str | None = None, **opts: Unpack[SendOptions]
    ) -> Response:
        """Press a button in the newest ephemeral message (only this user sees it) that has one."""
        for ephemeral in reversed(self.fake.ephemerals(user)):
            try:
                block, element = find_button(ephemeral.get("blocks"), text_or_action_id, value)
            except AssertionError:
                continue
            return self.click(
                user,
                element["action_id"],
                element.get("value"),
                channel=ephemeral["channel"],
                message_ts=ephemeral["ts"],
                block_id=block.get("block_id"),
                ephemeral=True,
                **opts,
            )
        raise AssertionError(f"no ephemeral message for {user} has a button {text_or_action_id!r}")

    def click_view_button(
        self,
        user: str,
        view: Json,
        text_or_action_id: str,
        *,
        value: str | None = None,
        **opts: Unpack[SendOptions],
    ) -> Response:
        latest = self.fake.view(view["id"]) or view
        block, element = find_button(latest.get("blocks"), text_or_action_id, value)
        return self.click(
            user,
            element["action_id"],
            element.get("value"),
            view=latest,
            block_id=block.get("block_id"),
            **opts,
        )

    def click_home_button(
        self, user: str, text_or_action_id: str, value: str | None = None, **opts: Unpack[SendOptions]
    ) -> Response:
        home = self.fake.home_view(user)
        if home is None:
            raise AssertionError(f"no Home tab published for {user}")
        return self.click_view_button(user, home, text_or_action_id, value=value, **opts)

    # Modals ------------------------------------------------------------------------------------
    def submit_view(
        self, user: str, view: Json, values: dict[str, Any] | None = None, **opts: Unpack[SendOptions]
    ) -> Response:
        """view_submission with `values` keyed by action_id or block_id; others sent as pre-filled."""
        view = self.fake.view(view["id"]) or view
        state = build_state(view, values or {})
        payload = self._base("view_submission", user)
        payload.update(
            trigger_id=self.fake.issue_trigger(user),
            view={**view, "state": {"values": state}},
            response_urls=self._response_urls(user, view, state),
        )
        summary = summarize_state(view, state, self.fake.display_name)
        title = text_of(view.get("title"))
        self.fake.record_user_action(
            user, "submit", f"submitted '{title}' modal" + (f": {summary}" if summary else ""), view=view
        )
        response = self._interaction(payload, **opts)
        if response.ok:
            try:
                self.fake.apply_view_answer(user, view["id"], response.json)
            except ApiError as exc:
                raise AssertionError(
                    f"the bot answered view_submission with a bad view: {exc.extra}"
                ) from exc
        return response

    def close_view(
        self, user: str, view: Json, *, force: bool = False, **opts: Unpack[SendOptions]
    ) -> Response:
        """The user closes a modal; Slack sends view_closed only if the view set notify_on_close."""
        view = self.fake.view(view["id"]) or view
        self.fake.apply_view_answer(user, view["id"], None, closed=True)
        self.fake.record_user_action(user, "close", f"closed '{text_of(view.get('title'))}' modal", view=view)
        if not view.get("notify_on_close") and not force:
            return Response(0, "not sent: the view has notify_on_close false", None)
        payload = self._base("view_closed", user)
        payload.update(view=view, is_cleared=False)
        return self._interaction(payload, **opts)

    def _response_urls(self, user: str, view: Json, state: dict[str, dict[str, Block]]) -> list[Json]:
        found = []
        for block, element in elements(view.get("blocks")):
            chosen = state.get(str(block.get("block_id")), {}).get(str(element.get("action_id")), {})
            channel = chosen.get("selected_conversation") or chosen.get("selected_channel")
            if element.get("response_url_enabled") and channel:
                found.append(
                    {
                        "block_id": block["block_id"],
                        "action_id": element["action_id"],
                        "channel_id": channel,
                        "response_url": self.fake.new_response_url(channel, user),
                    }
                )
        return found
