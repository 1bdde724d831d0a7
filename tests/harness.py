"""The real bot served over HTTP in-process, wired to a FakeSlack: for end-to-end tests and the demo."""

from __future__ import annotations

import functools
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sqlalchemy import Engine

from bot.app import Bundle, create_app, recover_stranded
from bot.domain.clock import Clock
from bot.server import make_wsgi_app
from bot.settings import Settings
from bot.texts import Texts
from tests.standin import FakeSlack, SlackDriver

# The people of the e2e tests and the demo: a chair and the group's members.
PEOPLE = {
    "UCHAIR": ("sam", "Sam Okafor"),
    "UCOCHAIR": ("priya", "Priya Shah"),
    "UMGR1": ("alex", "Alex Morgan"),
    "UMGR2": ("jo", "Jo Bennett"),
    "UNHS": ("fatima", "Fatima Idris"),
    "UCQC": ("tom", "Tom Reilly"),
    "UHW": ("grace", "Grace Lee"),
}
CHANNEL = "CGROUP"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: a burst of simultaneous requests (the concurrency
    # tests send 16) had connections reset before the bot saw them. gunicorn's is 2048.
    request_queue_size = 64


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@functools.cache
def shared_texts() -> Texts:
    """The templates, loaded and checked once per test run: they never change while it runs, and compiling
    every template again for each test's bot cost half a second a test."""
    return Texts()


def make_fake() -> FakeSlack:
    fake = FakeSlack(signing_secret="test-secret").start()
    for user_id, (name, real_name) in PEOPLE.items():
        fake.add_user(user_id, name, real_name)
    fake.add_user("UOUTSIDER", "olly", "Olly Outsider")
    fake.add_channel(CHANNEL, "strategy-group", list(PEOPLE))
    return fake


class RunningBot:
    """`python -m bot` as an in-process WSGI server; `restart()` builds a new app on the same database."""

    def __init__(self, fake: FakeSlack, engine: Engine, clock: Clock) -> None:
        self.fake, self.engine, self.clock = fake, engine, clock
        self.settings = Settings(bot_token=fake.bot_token, signing_secret=fake.signing_secret,
                                 slack_api_url=fake.api_url, database_url=str(engine.url))
        self._start(0)

    def _start(self, port: int) -> None:
        self.bundle: Bundle = create_app(self.settings, clock=self.clock, engine=self.engine, texts=shared_texts())
        # As `python -m bot` does on start (there in the background): requests a dead process left behind.
        recover_stranded(self.bundle, received_before=self.clock.now())
        wsgi = make_wsgi_app(self.bundle.app, signing_secret=self.settings.signing_secret, health=lambda: True)
        self.server = make_server("127.0.0.1", port, wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler)
        # A short poll: shutdown() waits up to one poll interval, and every test stops a server.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), name="bot", daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/slack/events"

    def driver(self) -> SlackDriver:
        return SlackDriver(self.events_url, self.fake)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.bundle.app.listener_runner.listener_executor.shutdown(wait=True)

    def restart(self) -> None:
        """Stop the bot (letting work in flight finish, as a graceful shutdown does) and start anew."""
        port = self.server.server_address[1]
        self.stop()
        self._start(port)
