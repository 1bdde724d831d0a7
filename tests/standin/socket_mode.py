"""Socket Mode side of the stand-in: the WebSocket endpoint `apps.connections.open` hands out, speaking
Slack's protocol over a minimal RFC 6455 server from the standard library.

Slack's protocol, as documented: the app calls `apps.connections.open` with its app-level token
(`xapp-…`, in the Authorization header) and gets a temporary `wss://` URL (here `ws://`, which
slack_sdk's built-in client connects to without TLS on a port other than 443). On connecting it gets
`{"type": "hello", "num_connections", "connection_info": {"app_id"}, "debug_info"}`; then envelopes
`{"envelope_id", "type": events_api | slash_commands | interactive, "payload",
"accepts_response_payload", "retry_attempt", "retry_reason"}`, each acknowledged by the app sending
back `{"envelope_id", "payload"?}`. Frames from the client are masked, ours are not; pings get pongs.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import secrets
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack, cast
from urllib.parse import parse_qs, parse_qsl, urlsplit

from tests.standin.driver import SlackDriver
from tests.standin.transport import Response, SendOptions

if TYPE_CHECKING:
    from tests.standin.fake_slack import FakeSlack

Json = dict[str, Any]
_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455's fixed key suffix
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


@dataclass
class Delivery:
    """One envelope sent and what came back: the ack, when, and what `on_ack` saw at that moment."""

    envelope: Json
    sent_at: float
    ack: Json | None = None
    acked_at: float | None = None
    seen_at_ack: Any = None
    done: threading.Event = field(default_factory=threading.Event)


class _Connection:
    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.send_lock = sock, threading.Lock()

    def send(self, opcode: int, data: bytes) -> None:
        size = len(data)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
        with self.send_lock:
            self.sock.sendall(header + data)

    def send_json(self, body: Json) -> None:
        self.send(TEXT, json.dumps(body).encode())

    def read_frame(self, reader: Any) -> tuple[int, bool, bytes]:
        first, second = _exactly(reader, 2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", _exactly(reader, 2))[0]
        elif size == 127:
            size = struct.unpack("!Q", _exactly(reader, 8))[0]
        mask = _exactly(reader, 4) if second & 0x80 else b""
        data = _exactly(reader, size)
        if mask:
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        return first & 0x0F, bool(first & 0x80), data


def _exactly(reader: Any, n: int) -> bytes:
    data = reader.read(n) if n else b""
    if len(data) != n:
        raise ConnectionError("socket closed")
    return bytes(data)


class SocketModeEndpoint:
    """Start with `start()`; FakeSlack's `apps.connections.open` calls `open_url()` for a fresh ticket."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.deliveries: list[Delivery] = []
        self.connections_opened = 0
        self._tickets: set[str] = set()
        self._pending: dict[str, Delivery] = {}
        self._current: _Connection | None = None
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> SocketModeEndpoint:
        endpoint = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                endpoint._serve(self.connection, self.rfile)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.02,), name="socket-mode", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            if self._current is not None:
                self._current.sock.close()
                self._current = None

    def open_url(self) -> str:
        """A one-time URL, as apps.connections.open returns (Slack's carry a ticket and the app id)."""
        if self._server is None:
            raise RuntimeError("Socket Mode endpoint not started")
        ticket = secrets.token_hex(8)
        with self._lock:
            self._tickets.add(ticket)
        port = self._server.server_address[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={self.app_id}"

    def wait_connected(self, timeout: float = 20.0) -> None:
        with self._lock:
            if not self._lock.wait_for(lambda: self._current is not None, timeout):
                raise AssertionError("the app never connected over Socket Mode")

    def deliver(self, kind: str, payload: Json, *, accepts_response_payload: bool, retry_attempt: int = 0,
                retry_reason: str = "", on_ack: Callable[[Json, Json], Any] | None = None,
                timeout: float = 10.0) -> Delivery:
        """Send one envelope on the open connection and wait for the app's ack; `on_ack(envelope, ack)` runs the
        moment the ack arrives, before anything else happens, and its result is kept on the delivery."""
        envelope: Json = {"envelope_id": f"env-{next(self._ids)}-{secrets.token_hex(4)}", "type": kind,
                          "payload": payload, "accepts_response_payload": accepts_response_payload}
        if kind == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        delivery = Delivery(envelope, time.time())
        delivery.seen_at_ack = on_ack  # replaced by its result when the ack comes
        self.wait_connected()
        with self._lock:
            self._pending[envelope["envelope_id"]] = delivery
            self.deliveries.append(delivery)
            connection = cast(_Connection, self._current)
        connection.send_json(envelope)
        if not delivery.done.wait(timeout):
            raise AssertionError(f"no ack for {kind} envelope within {timeout}s")
        return delivery

    def _serve(self, sock: socket.socket, reader: Any) -> None:
        connection = _Connection(sock)
        if not self._handshake(connection, reader):
            return
        with self._lock:
            self.connections_opened += 1
            self._current = connection
            self._lock.notify_all()
        connection.send_json({"type": "hello", "num_connections": 1,
                              "connection_info": {"app_id": self.app_id},
                              "debug_info": {"host": "standin", "approximate_connection_time": 3600}})
        try:
            self._read_loop(connection, reader)
        except (ConnectionError, OSError):
            pass  # the app went away; it reconnects through apps.connections.open
        finally:
            with self._lock:
                if self._current is connection:
                    self._current = None

    def _handshake(self, connection: _Connection, reader: Any) -> bool:
        lines = []
        while (line := reader.readline(8192)) not in (b"\r\n", b"\n", b""):
            lines.append(line.decode("latin-1").strip())
        if not lines:
            return False
        request, headers = lines[0].split(" "), {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        ticket = parse_qs(urlsplit(request[1] if len(request) > 1 else "").query).get("ticket", [""])[0]
        with self._lock:
            known = ticket in self._tickets
            self._tickets.discard(ticket)  # a connection URL is good once
        key = headers.get("sec-websocket-key", "")
        if not known or headers.get("upgrade", "").lower() != "websocket" or not key:
            connection.sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return False
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        connection.sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                 f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        return True

    def _read_loop(self, connection: _Connection, reader: Any) -> None:
        parts: list[bytes] = []
        while True:
            opcode, final, data = connection.read_frame(reader)
            if opcode == PING:
                connection.send(PONG, data)
            elif opcode == CLOSE:
                connection.send(CLOSE, data[:2])
                return
            elif opcode in (TEXT, 0x0):
                parts.append(data)
                if final:
                    self._received(b"".join(parts).decode("utf-8"))
                    parts = []

    def _received(self, text: str) -> None:
        ack = json.loads(text)
        with self._lock:
            delivery = self._pending.pop(str(ack.get("envelope_id")), None)
        if delivery is None:
            return  # an ack for nothing we sent: Slack ignores it too
        check = delivery.seen_at_ack
        delivery.seen_at_ack = check(delivery.envelope, ack) if callable(check) else None
        delivery.ack, delivery.acked_at = ack, time.time()
        delivery.done.set()


class SocketModeDriver(SlackDriver):
    """SlackDriver's people, their requests carried over the socket instead of signed HTTP: a command
    becomes a `slash_commands` envelope, a click or form an `interactive` one, an event `events_api`.
    The ack's payload is the answer (a view submission's errors, say), as bolt's HTTP body would be."""

    def __init__(self, fake: FakeSlack, endpoint: SocketModeEndpoint, *, timeout: float = 10.0) -> None:
        super().__init__("socket-mode", fake, timeout=timeout)
        self.endpoint = endpoint
        self.on_ack: Callable[[Json, Json], Any] | None = None  # (envelope, ack), the moment each ack arrives
        self.last_delivery: Delivery | None = None

    def send(self, body: str, content_type: str, **opts: Unpack[SendOptions]) -> Response:
        headers = opts.get("headers", {})
        if content_type == "application/json":
            kind, payload = "events_api", json.loads(body)
        else:
            fields = dict(parse_qsl(body, keep_blank_values=True))
            interactive = "payload" in fields
            kind = "interactive" if interactive else "slash_commands"
            payload = json.loads(fields["payload"]) if interactive else fields
        delivery = self.endpoint.deliver(
            kind, payload, accepts_response_payload=kind != "events_api",
            retry_attempt=int(headers.get("X-Slack-Retry-Num", "0")),
            retry_reason=headers.get("X-Slack-Retry-Reason", ""), on_ack=self.on_ack, timeout=self.timeout)
        self.last_delivery = delivery
        answer = (delivery.ack or {}).get("payload")
        return Response(200, json.dumps(answer) if answer else "", answer)
