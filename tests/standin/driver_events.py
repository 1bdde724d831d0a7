"""What Slack's Events API sends when people post, edit, delete, react, open the Home tab or join;
the fake is updated first, as Slack's own copy would be."""

from __future__ import annotations

import json
from typing import Unpack

from tests.standin import events
from tests.standin.state import Json
from tests.standin.transport import Response, SendOptions, SignedSender


class EventDriver(SignedSender):
    """The Events API half of the driver; SlackDriver adds commands, clicks and modals."""

    def event(
        self,
        event: Json,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        **opts: Unpack[SendOptions],
    ) -> Response:
        """An event_callback envelope (a fresh event_id unless given), with Slack's retry headers if asked."""
        ws = self.fake.ws
        self.last_envelope = events.envelope(event, ws.team_id, ws.app_id, ws.bot_user_id, event_id)
        return self._deliver(self.last_envelope, retry_num, retry_reason, **opts)

    def resend(
        self, retry_num: int = 1, retry_reason: str = "http_timeout", **opts: Unpack[SendOptions]
    ) -> Response:
        """Deliver the last event again, same event_id, as Slack's retry does."""
        if self.last_envelope is None:
            raise AssertionError("no event sent yet")
        return self._deliver(self.last_envelope, retry_num, retry_reason, **opts)

    def _deliver(
        self, body: Json, retry_num: int | None, retry_reason: str | None, **opts: Unpack[SendOptions]
    ) -> Response:
        if retry_num is not None:
            retry = {
                "X-Slack-Retry-Num": str(retry_num),
                "X-Slack-Retry-Reason": retry_reason or "http_timeout",
            }
            opts["headers"] = {**opts.get("headers", {}), **retry}
        return self.send(json.dumps(body), "application/json", **opts)

    def _kind(self, channel: str) -> str:
        return events.channel_type(self.fake.channel(channel))

    def post_message(
        self, user: str, channel: str, text: str, thread_ts: str | None = None, **opts: Unpack[SendOptions]
    ) -> tuple[Response, str]:
        """The person posts (stored in the fake like Slack would); returns the bot's answer and the ts."""
        channel = self.fake.ws.channel(channel)["id"]
        stored = self.fake.store_user_message(user, channel, text, thread_ts)
        kind = "reply" if thread_ts else "message"
        self.fake.record_user_action(user, kind, text, channel, thread_ts=thread_ts, ts=stored["ts"])
        return self.event(events.message_posted(stored, channel, self._kind(channel)), **opts), stored["ts"]

    def edit_message(
        self, user: str, channel: str, ts: str, new_text: str, **opts: Unpack[SendOptions]
    ) -> Response:
        self._check_author(user, channel, ts)
        previous, current = self.fake.edit_user_message(channel, ts, new_text)
        self.fake.record_user_action(user, "edit", new_text, channel, ts=ts, previous=previous.get("text"))
        event = events.message_changed(
            previous, current, channel, self._kind(channel), self.fake.ws.next_ts()
        )
        return self.event(event, **opts)

    def delete_message(self, user: str, channel: str, ts: str, **opts: Unpack[SendOptions]) -> Response:
        self._check_author(user, channel, ts)
        previous = self.fake.delete_user_message(channel, ts)
        self.fake.record_user_action(user, "delete", previous.get("text", ""), channel, ts=ts)
        event = events.message_deleted(previous, channel, self._kind(channel), self.fake.ws.next_ts())
        return self.event(event, **opts)

    def react(self, user: str, channel: str, ts: str, name: str, **opts: Unpack[SendOptions]) -> Response:
        message = self.fake.react_as_user(user, channel, ts, name)
        self.fake.record_user_action(user, "react", name, channel, ts=ts, author=message.get("user"))
        item = {"type": "message", "channel": channel, "ts": ts}
        event = {
            "type": "reaction_added",
            "user": user,
            "reaction": name,
            "item_user": message.get("user"),
            "item": item,
        }
        return self.event(event, **opts)

    def app_home_opened(self, user: str, tab: str = "home", **opts: Unpack[SendOptions]) -> Response:
        event: Json = {
            "type": "app_home_opened",
            "user": user,
            "channel": self.fake.dm_channel(user),
            "tab": tab,
        }
        home = self.fake.home_view(user)
        if home is not None and tab == "home":
            event["view"] = home
        self.fake.record_user_action(user, "home_opened", f"opened the app's {tab.title()} tab")
        return self.event(event, **opts)

    def member_joined(
        self, user: str, channel: str, inviter: str | None = None, **opts: Unpack[SendOptions]
    ) -> Response:
        self.fake.add_member(channel, user)
        self.fake.record_user_action(user, "joined", "joined", channel)
        kind = "G" if (self.fake.channel(channel) or {}).get("is_private") else "C"
        event = {
            "type": "member_joined_channel",
            "user": user,
            "channel": channel,
            "channel_type": kind,
            "team": self.fake.team_id,
        }
        if inviter:
            event["inviter"] = inviter
        return self.event(event, **opts)

    def url_verification(self, challenge: str, **opts: Unpack[SendOptions]) -> Response:
        body = {"token": events.VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return self.send(json.dumps(body), "application/json", **opts)

    def _check_author(self, user: str, channel: str, ts: str) -> None:
        message = self.fake.message(channel, ts)
        if message is None or message.get("user") != user:
            raise AssertionError(f"{user} cannot change message {ts} in {channel}: not theirs or not there")
