"""The hostile and malformed requests of the front-door tests, and a raw-socket sender for them.

Raw sockets, because urllib cannot send what these need: no Content-Length, a false one, bytes that
are not latin-1 in a header, a body the client stops short of and half-closes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

FRESH = "fresh"  # a timestamp of now, taken when the request is sent
OMIT = "omit"  # leave the header out


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes = b""
    content_type: str = "application/json"
    expect: int | None = 400  # None: anything under 500 (the request passes the front door)
    signed: bool = True
    timestamp: str = FRESH
    signature: str | None = None  # as sent, instead of the right one
    method: str = "POST"
    path: str = "/slack/events"
    length: str | None = None  # Content-Length as sent, instead of the body's; OMIT leaves it out
    headers: tuple[tuple[str, bytes], ...] = ()
    sent_body: bytes | None = None  # what really goes on the wire, when it is not `body`


def js(value: Any) -> bytes:
    return json.dumps(value).encode()


def form(**fields: Any) -> bytes:
    return urllib.parse.urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}).encode()


FORM = "application/x-www-form-urlencoded"
USER = {"id": "UCHAIR", "team_id": "T1"}
COMMAND = form(command="/meeting", text="help", user_id="UCHAIR", channel_id="CGROUP", team_id="T1")
EVENT = js({"type": "event_callback", "team_id": "T1", "event_id": "Ev1",
            "event": {"type": "message", "user": "UMGR1", "channel": "CGROUP", "text": "hi", "ts": "1.1"}})

# Bodies refused by their content once the signature is right, and as such unsigned (401).
MALFORMED: list[tuple[str, bytes, str]] = [
    ("{not json", b"{not json", "application/json"),
    ("payload=%7Bnot+json", b"payload=%7Bnot+json", FORM),
    ("[1,2]", b"[1,2]", "application/json"),
    ("payload [1,2]", form(payload=[1, 2]), FORM),
    ("json string", b'"string"', "application/json"),
    ("json null", b"null", "application/json"),
    ("json number", b"123", "application/json"),
    ("json true", b"true", "application/json"),
    ("payload null", b"payload=null", FORM),
    ("payload number", b"payload=1", FORM),
    ("payload string", form(payload="just text"), FORM),
    ("payload empty", b"payload=", FORM),
    ("invalid UTF-8 JSON", b'{"type": "\xff\xfe"}', "application/json"),
    ("invalid UTF-8 form", b"command=%2Fmeeting&text=\xff&user_id=U&channel_id=C", FORM),
    ("overlong UTF-8", b'{"type": "\xc0\xaf"}', "application/json"),
    ("surrogate in UTF-8", b'{"type": "\xed\xa0\x80"}', "application/json"),
    ("NUL in JSON", b'{"type": "event_callback", "event": {"type": "message"}}\x00', "application/json"),
    ("NUL in form", b"command=%2Fmeeting&text=a\x00b&user_id=U&channel_id=C", FORM),
    ("empty JSON", b"", "application/json"),
    ("empty form", b"", FORM),
    ("whitespace", b"   \n\t ", "application/json"),
    ("BOM then JSON", b"\xef\xbb\xbf" + EVENT, "application/json"),
    ("deep arrays", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("deep objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
    ("5,000-digit number", b'{"type": "event_callback", "n": ' + b"9" * 5000 + b"}", "application/json"),
    ("empty object", b"{}", "application/json"),
    ("type a number", js({"type": 5}), "application/json"),
    ("type empty", js({"type": ""}), "application/json"),
    ("type null", js({"type": None}), "application/json"),
    ("type a list", js({"type": ["event_callback"]}), "application/json"),
    ("event_callback without event", js({"type": "event_callback", "team_id": "T1"}), "application/json"),
    ("event null", js({"type": "event_callback", "event": None}), "application/json"),
    ("event a string", js({"type": "event_callback", "event": "message"}), "application/json"),
    ("event a list", js({"type": "event_callback", "event": [{"type": "message"}]}), "application/json"),
    ("event without type", js({"type": "event_callback", "event": {"text": "hi"}}), "application/json"),
    ("event type a number", js({"type": "event_callback", "event": {"type": 7}}), "application/json"),
    ("block_actions without actions", form(payload={"type": "block_actions", "user": USER}), FORM),
    ("block_actions with no action", form(payload={"type": "block_actions", "user": USER, "actions": []}), FORM),
    ("actions a string", form(payload={"type": "block_actions", "user": USER, "actions": "x"}), FORM),
    ("actions of numbers", form(payload={"type": "block_actions", "user": USER, "actions": [1]}), FORM),
    ("action without id", form(payload={"type": "block_actions", "user": USER, "actions": [{}]}), FORM),
    ("action id a number", form(payload={"type": "block_actions", "user": USER,
                                         "actions": [{"action_id": 5}]}), FORM),
    ("block_actions without user", form(payload={"type": "block_actions", "actions": [{"action_id": "a"}]}), FORM),
    ("user a string", form(payload={"type": "block_actions", "user": "UCHAIR",
                                    "actions": [{"action_id": "a"}]}), FORM),
    ("user without id", form(payload={"type": "block_actions", "user": {}, "actions": [{"action_id": "a"}]}), FORM),
    ("user id a number", form(payload={"type": "block_actions", "user": {"id": 5},
                                       "actions": [{"action_id": "a"}]}), FORM),
    ("view_submission without view", form(payload={"type": "view_submission", "user": USER}), FORM),
    ("view null", form(payload={"type": "view_submission", "user": USER, "view": None}), FORM),
    ("view a string", form(payload={"type": "view_submission", "user": USER, "view": "V1"}), FORM),
    ("view without callback_id", form(payload={"type": "view_submission", "user": USER, "view": {"id": "V1"}}), FORM),
    ("view without id", form(payload={"type": "view_submission", "user": USER, "view": {"callback_id": "x"}}), FORM),
    ("view_submission without user", form(payload={"type": "view_submission",
                                                   "view": {"id": "V1", "callback_id": "x"}}), FORM),
    ("view_closed without view", form(payload={"type": "view_closed", "user": USER}), FORM),
    ("shortcut without callback_id", form(payload={"type": "shortcut", "user": USER}), FORM),
    ("message_action callback_id a number", form(payload={"type": "message_action", "user": USER,
                                                          "callback_id": 3}), FORM),
    ("block_suggestion without action_id", form(payload={"type": "block_suggestion", "user": USER}), FORM),
    ("url_verification without challenge", js({"type": "url_verification"}), "application/json"),
    ("challenge a number", js({"type": "url_verification", "challenge": 5}), "application/json"),
    ("form that is no command", b"text=hello", FORM),
    ("command without slash", b"command=meeting&user_id=U&channel_id=C", FORM),
    ("command without user", b"command=%2Fmeeting&channel_id=C", FORM),
    ("command without channel", b"command=%2Fmeeting&user_id=U", FORM),
    ("command empty", b"command=&user_id=U&channel_id=C", FORM),
    ("form of ampersands", b"&&&", FORM),
    ("form of equals", b"=", FORM),
    ("JSON sent as a form", EVENT, FORM),
    ("a command sent as JSON", COMMAND, "application/json"),
]

WRONG_TYPES = ["text/plain", "application/xml", "multipart/form-data; boundary=x", "", "text/html",
               "application/jsonp", "application/x-www-form-urlencodedx"]


def refused_cases(now: int) -> list[Case]:
    """Every request the front door must refuse, with the exact status."""
    cases = [Case(f"signed: {name}", body, ctype, 400) for name, body, ctype in MALFORMED]
    cases += [Case(f"unsigned: {name}", body, ctype, 401, signed=False) for name, body, ctype in MALFORMED[::3]]
    cases += [Case(f"content type {t!r}", COMMAND, t, 415) for t in WRONG_TYPES]
    for name, stamp in [("²", "²"), ("¹²³", "¹²³"), ("Arabic-Indic digits", "١٧٠٠٠٠٠٠٠٠"),
                        ("5,000 digits", "9" * 5000), ("empty", ""), ("negative", "-1"), ("plus sign", f"+{now}"),
                        ("exponent", "1.7e9"), ("hex", "0x65000000"), ("fraction", f"{now}.5"),
                        ("stale", str(now - 301)), ("future", str(now + 400)), ("zero", "0"), ("NaN", "NaN"),
                        ("words", "yesterday"), ("missing", OMIT)]:
        cases.append(Case(f"timestamp {name}", COMMAND, FORM, 401, timestamp=stamp))
    good = sign(b"test-secret", str(now).encode(), COMMAND)
    for name, signature in [("zeros", "v0=" + "0" * 64), ("v1 scheme", "v1" + good[2:]), ("no scheme", good[3:]),
                            ("upper-case hex", good.upper()), ("empty", ""), ("missing", OMIT),
                            ("truncated", good[:-1]), ("padded", good + "0"), ("10,000 characters", "v0=" + "a" * 9997),
                            ("other body's", sign(b"test-secret", str(now).encode(), EVENT)),
                            ("other secret's", sign(b"not-the-secret", str(now).encode(), COMMAND)),
                            ("other timestamp's", sign(b"test-secret", str(now - 1).encode(), COMMAND))]:
        cases.append(Case(f"signature {name}", COMMAND, FORM, 401, signature=signature))
    cases += [
        Case("Content-Length over 1 MiB (body never sent)", COMMAND, FORM, 413, length=str((1 << 20) + 1),
             sent_body=b""),
        Case("Content-Length of 11 digits", COMMAND, FORM, 413, length="99999999999", sent_body=b""),
        Case("Content-Length of 40 digits", COMMAND, FORM, 413, length="9" * 40, sent_body=b""),
        Case("Content-Length ²", COMMAND, FORM, 400, length="²", sent_body=b""),
        Case("Content-Length negative", COMMAND, FORM, 400, length="-1", sent_body=b""),
        Case("Content-Length words", COMMAND, FORM, 400, length="ten", sent_body=b""),
        Case("no Content-Length", COMMAND, FORM, 411, length=OMIT, sent_body=b""),
        Case("chunked without a length", COMMAND, FORM, 411, length=OMIT,
             headers=(("Transfer-Encoding", b"chunked"),), sent_body=b"0\r\n\r\n"),
        Case("body shorter than its length", COMMAND, FORM, 400, length=str(len(COMMAND) + 10)),
        Case("unsigned and over 1 MiB", COMMAND, FORM, 413, signed=False, length=str(5 << 20), sent_body=b""),
    ]
    for method in ("GET", "PUT", "DELETE", "PATCH", "OPTIONS"):
        cases.append(Case(f"{method} /slack/events", COMMAND, FORM, 404, method=method))
    for path in ("/slack/event", "/slack/events/", "/SLACK/EVENTS", "/", "/slack/install", "/healthz/..",
                 "/slack/events%00", "/" + "a" * 2000):
        cases.append(Case(f"POST {path[:40]}", COMMAND, FORM, 404, path=path))
    return cases


def admitted_cases() -> list[Case]:
    """Signed and well-formed enough to reach bolt, but odd or meant for nobody: anything under 500."""
    def payload(**fields: Any) -> bytes:
        return form(payload=fields)

    def event(**fields: Any) -> bytes:
        return js({"type": "event_callback", "team_id": "T1", "event_id": f"Ev{len(fields)}x", **fields})

    return [Case(name, body, ctype, None) for name, body, ctype in [
        ("unknown command", form(command="/nope", text="x", user_id="UCHAIR", channel_id="CGROUP"), FORM),
        ("command text of control characters", form(command="/meeting", text="\x01\x1b[31m\r\n", user_id="UCHAIR",
                                                    channel_id="CGROUP"), FORM),
        ("command text saying payload", form(command="/meeting", text="payload", user_id="UCHAIR",
                                             channel_id="CGROUP"), FORM),
        ("JSON with a charset", EVENT, "application/json; charset=utf-8"),
        ("unknown type", js({"type": "something_new"}), "application/json"),
        ("unknown action", payload(type="block_actions", user=USER, actions=[{"action_id": "no.such", "value": 5}]),
         FORM),
        ("unknown view", payload(type="view_submission", user=USER, view={"id": "V1", "callback_id": "no.such",
                                                                           "state": "junk"}), FORM),
        ("message event of junk", event(event={"type": "message", "text": 5, "user": ["x"], "channel": {"a": 1}}),
         "application/json"),
        ("app_home_opened for a number", event(event={"type": "app_home_opened", "user": 5}), "application/json"),
        ("authorizations a string", event(event={"type": "message"}, authorizations="x"), "application/json"),
        ("enterprise a number", event(event={"type": "message"}, enterprise=5), "application/json"),
        ("event_id a list", js({"type": "event_callback", "event_id": [1], "event": {"type": "message"}}),
         "application/json"),
        ("unknown event", event(event={"type": "reaction_added", "user": "UMGR1"}), "application/json"),
        ("ssl check", b"ssl_check=1&token=x", FORM),
        ("url verification", js({"type": "url_verification", "challenge": "abc"}), "application/json"),
    ]] + [
        Case("query string on the path", COMMAND, FORM, None, path="/slack/events?x=%00&y"),
        Case("retry header of words", EVENT, "application/json", None, headers=(("X-Slack-Retry-Num", b"many"),)),
        Case("header of UTF-8 bytes", COMMAND, FORM, None, headers=(("X-Odd", "é✓".encode()),)),
        Case("header of 8,000 characters", COMMAND, FORM, None, headers=(("X-Long", b"a" * 8000),)),
    ]


def sign(secret: bytes, timestamp: bytes, body: bytes) -> str:
    return "v0=" + hmac.new(secret, b"v0:" + timestamp + b":" + body, hashlib.sha256).hexdigest()


def send(base_url: str, case: Case, secret: bytes, timeout: float = 10.0) -> int:
    """Send one case as raw bytes; the status the server answered (0 if it closed without one)."""
    host, port = base_url.split("//")[1].split(":")
    stamp = str(int(time.time())) if case.timestamp == FRESH else case.timestamp
    lines = [f"{case.method} {case.path} HTTP/1.1".encode(), f"Host: {host}".encode(), b"Connection: close"]
    if case.content_type:
        lines.append(b"Content-Type: " + case.content_type.encode())
    if stamp != OMIT:
        lines.append(b"X-Slack-Request-Timestamp: " + stamp.encode())
    signature = case.signature if case.signature is not None else sign(secret, stamp.encode(), case.body)
    if case.signed and signature != OMIT:
        lines.append(b"X-Slack-Signature: " + signature.encode())
    length = case.length if case.length is not None else str(len(case.body))
    if length != OMIT:
        lines.append(b"Content-Length: " + length.encode())
    lines += [name.encode() + b": " + value for name, value in case.headers]
    wire = b"\r\n".join(lines) + b"\r\n\r\n" + (case.body if case.sent_body is None else case.sent_body)
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(wire)
        sock.shutdown(socket.SHUT_WR)  # the client is done: a server waiting for more body sees its end
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass  # the server answered and closed without reading all that was sent: its answer came first
    status_line = answer.split(b"\r\n", 1)[0].split()
    return int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else 0
