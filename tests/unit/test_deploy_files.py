"""The deployment files agree with each other and with the code: the Procfile's commands are the ones
compose.yml and the systemd units run, and every setting they pass is one bot/settings.py reads."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def procfile() -> dict[str, list[str]]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = shlex.split(command)
    return entries


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yml").read_text())


def settings_names() -> set[str]:
    """The environment names the bot reads: bot/settings.py's `env.get("NAME")` and the retention pattern."""
    source = (ROOT / "bot" / "settings.py").read_text()
    names = set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    assert {"SLACK_BOT_TOKEN", "DATABASE_URL", "PORT"} <= names  # the pattern still finds what it should
    return names


def test_the_procfile_has_a_release_step_a_web_and_a_clock():
    entries = procfile()
    assert entries["release"] == ["python", "-m", "bot", "db", "upgrade"]
    assert entries["web"][:3] == ["python", "-m", "bot"]
    assert entries["clock"] == ["python", "-m", "bot", "scheduler"]


def test_compose_runs_the_procfile_commands():
    services, entries = compose()["services"], procfile()
    for name in ("release", "web", "clock"):
        assert services[name]["command"] == entries[name], name
    assert services["db"]["image"].startswith("postgres")
    # web and clock wait for the release step to finish, which waits for a healthy database.
    for name in ("web", "clock"):
        assert services[name]["depends_on"]["release"]["condition"] == "service_completed_successfully"
    assert services["release"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_passes_only_settings_the_bot_reads():
    known = settings_names()
    for name in ("release", "web", "clock"):
        env = compose()["services"][name]["environment"]
        unknown = set(env) - known
        assert not unknown, f"{name} sets {unknown}, which bot/settings.py does not read"
        assert env["DATABASE_URL"].startswith("postgresql://")
    assert "PORT" in compose()["services"]["web"]["environment"]


def test_the_dockerfile_is_slim_non_root_healthchecked_and_runs_the_bot():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    user = re.findall(r"^USER (\S+)$", text, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.M)
    assert re.search(r"^RUN pip install \.", text, re.M)
    assert re.search(r'^CMD \["python", "-m", "bot"\]$', text, re.M)
    env_names = set(re.findall(r"\b([A-Z_]+)=", "".join(re.findall(r"^ENV .*(?:\\\n.*)*", text, re.M))))
    bot_names = env_names - {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR",
                             "PIP_DISABLE_PIP_VERSION_CHECK"}
    assert bot_names and bot_names <= settings_names()


@pytest.mark.parametrize("unit, procfile_name", [("carehome-bot-web.service", "web"),
                                                 ("carehome-bot-clock.service", "clock")])
def test_the_systemd_units_run_the_procfile_commands(unit, procfile_name):
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    start = re.search(r"^ExecStart=(\S+) (.*)$", text, re.M)
    assert start and start.group(1).endswith("/python")
    assert ["python", *shlex.split(start.group(2))] == procfile()[procfile_name]
    assert re.search(r"^User=(?!root)\S+$", text, re.M)
    assert re.search(r"^Restart=on-failure$", text, re.M)
    if procfile_name == "web":  # the release step before the web process starts
        pre = re.search(r"^ExecStartPre=\S+/python (.*)$", text, re.M)
        assert pre and ["python", *shlex.split(pre.group(1))] == procfile()["release"]


def container_engine() -> str | None:
    """docker or podman, if one is installed AND its daemon answers (a CLI alone cannot build)."""
    for name in ("docker", "podman"):
        path = shutil.which(name)
        if path and subprocess.run([path, "info"], capture_output=True, timeout=30).returncode == 0:
            return path
    return None


@pytest.mark.skipif(container_engine() is None,
                    reason="no working container engine (docker or podman daemon) here: the image is not built")
def test_the_image_builds_and_runs_the_bot():  # pragma: no cover - needs a container engine
    engine = container_engine()
    assert engine
    subprocess.run([engine, "build", "-t", "carehome-bot-test", str(ROOT)], check=True, timeout=900)
    out = subprocess.run([engine, "run", "--rm", "carehome-bot-test", "python", "-m", "bot", "db", "upgrade"],
                         check=True, capture_output=True, text=True, timeout=120)
    assert "revision" in out.stdout


def test_the_socket_mode_manifest_matches_the_http_one_without_urls():
    http = yaml.safe_load((ROOT / "manifest.yml").read_text())
    socket = yaml.safe_load((ROOT / "manifest.socket.yml").read_text())
    text = (ROOT / "manifest.socket.yml").read_text()
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "http" not in text.replace("https://api.slack.com/apps", "")  # nothing is served: no URL at all
    commands = {c["command"]: (c["description"], c.get("usage_hint")) for c in http["features"]["slash_commands"]}
    assert {c["command"]: (c["description"], c.get("usage_hint")) for c in socket["features"]["slash_commands"]} \
        == commands, "a command changed in manifest.yml: change manifest.socket.yml the same way"
    assert socket["oauth_config"]["scopes"] == http["oauth_config"]["scopes"]
    # The uninstall events matter only to a multi-workspace (OAuth) install, which Socket Mode here is not.
    oauth_only = {"app_uninstalled", "tokens_revoked"}
    assert set(socket["settings"]["event_subscriptions"]["bot_events"]) == (
        set(http["settings"]["event_subscriptions"]["bot_events"]) - oauth_only)
    assert socket["settings"]["interactivity"]["is_enabled"] is True
