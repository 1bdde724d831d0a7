"""A local stand-in of Slack for end-to-end tests and the demo: FakeSlack (the Web API and workspace),
SlackDriver (what people do, signed like Slack) and render_transcript (the story, readable)."""

from tests.standin.driver import SlackDriver
from tests.standin.fake_slack import FakeSlack
from tests.standin.transcript import render_transcript

__all__ = ["FakeSlack", "SlackDriver", "render_transcript"]
