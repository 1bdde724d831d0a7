"""The bot's words, loaded from templates/ and checked when the app starts.

YAML holds the lists and short texts; every string is a Jinja template rendered with StrictUndefined,
so a missing value fails loudly in tests instead of showing "None" to a chair. The `slack` filter
escapes only what Slack's mrkdwn needs (&, <, >): HTML escaping would show up literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateSyntaxError

from bot.domain.erased import mention
from bot.domain.stages import STAGES

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STAGE_FIELDS = ("title", "purpose", "first", "follow_up", "count", "none_yet")


class TemplateError(RuntimeError):
    """A template file is missing, malformed or incomplete: the app refuses to boot."""


def slack_escape(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Theme:
    name: str
    description: str


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    hint: str


@dataclass(frozen=True)
class ThemeSet:
    key: str
    name: str
    description: str
    questions: dict[str, str]
    themes: tuple[Theme, ...]


class Texts:
    def __init__(self, root: Path = TEMPLATES_DIR) -> None:
        self.root = root
        self.env = Environment(loader=FileSystemLoader(str(root)), undefined=StrictUndefined, autoescape=False,
                               keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
        self.env.filters["slack"] = slack_escape
        self.env.filters["mention"] = mention
        self._messages = self._merge_maps(root, "messages*.yml")  # messages.yml plus one file per capability
        self._ui = self._merge_maps(root, "ui*.yml")  # ui.yml plus one file per capability
        self._help = self._load("help.yml")
        self._stages = {key: self._compile(f"stages.yml:{key}", value)
                        for key, value in self._load("stages.yml").items()}
        self.examples: tuple[str, ...] = tuple(self._load("ground_rules.yml")["examples"])
        self._check_stages()

    def _merge_maps(self, root: Path, pattern: str) -> dict[str, Template]:
        """One code per message across the files: a code defined twice would silently answer with the other
        file's words (it happened: `/actions report`'s usage answered with `/group report`'s)."""
        merged: dict[str, Template] = {}
        where: dict[str, str] = {}
        for path in sorted(root.glob(pattern)):
            for key, template in self._compile_map(path.name).items():
                if key in merged:
                    raise TemplateError(f"templates/{path.name}: '{key}' is already defined in {where[key]}")
                merged[key], where[key] = template, path.name
        return merged

    def say(self, code: str, **params: Any) -> str:
        """A message by error/info code; unknown codes fall back to the generic error."""
        template = self._messages.get(code) or self._messages["internal_error"]
        return template.render(**{"ref": "-", **params}).strip()

    def ui(self, key: str, **params: Any) -> str:
        return self._ui[key].render(**params).strip()

    def stage(self, stage: str, field: str, **params: Any) -> str:
        return self._stages[stage][field].render(**params).strip()

    def stage_has(self, stage: str, field: str) -> bool:
        return field in self._stages.get(stage, {})

    def render(self, name: str, **params: Any) -> str:
        """A prose template file from templates/ (e.g. minutes.md.j2)."""
        return self.env.get_template(name).render(**params)

    def help(self, command: str) -> str:
        return str(self._help[command]).strip()

    @cached_property
    def theme_sets(self) -> dict[str, ThemeSet]:
        sets = {}
        for path in sorted((self.root / "themes").glob("*.yml")):
            raw = self._load(f"themes/{path.name}")
            try:
                themes = tuple(Theme(t["name"], t["description"]) for t in raw["themes"])
                sets[raw["key"]] = ThemeSet(raw["key"], raw["name"], raw["description"], dict(raw["questions"]),
                                            themes)
            except (KeyError, TypeError) as exc:
                raise TemplateError(f"{path}: a theme set needs key, name, description, questions, themes") from exc
        if "my_home_life" not in sets:
            raise TemplateError("templates/themes: the default theme set my_home_life is missing")
        return sets

    @cached_property
    def checkin_questions(self) -> tuple[Question, ...]:
        """The weekly check-in's questions (templates/checkin.yml), in order."""
        raw = self._load("checkin.yml")
        try:
            questions = tuple(Question(str(q["key"]), str(q["label"]), str(q.get("hint") or ""))
                              for q in raw["questions"])
        except (KeyError, TypeError) as exc:
            raise TemplateError("templates/checkin.yml: each question needs a key and a label") from exc
        if not questions or len({q.key for q in questions}) != len(questions):
            raise TemplateError("templates/checkin.yml: questions must be non-empty with distinct keys")
        return questions

    def _load(self, name: str) -> Any:
        path = self.root / name
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise TemplateError(f"cannot read {path}: {exc}") from exc

    def _compile_map(self, name: str) -> dict[str, Template]:
        return self._compile(name, self._load(name))

    def _compile(self, where: str, raw: dict[str, Any]) -> dict[str, Template]:
        if not isinstance(raw, dict):
            raise TemplateError(f"{where}: expected a mapping of names to texts")
        try:
            return {k: self.env.from_string(str(v)) for k, v in raw.items() if isinstance(v, str | int)}
        except TemplateSyntaxError as exc:
            raise TemplateError(f"{where}: {exc.message} (line {exc.lineno})") from exc

    def _check_stages(self) -> None:
        for stage in STAGES:
            missing = [f for f in STAGE_FIELDS if f not in self._stages.get(stage.key, {})]
            if missing:
                raise TemplateError(f"templates/stages.yml: stage {stage.key} lacks {', '.join(missing)}")
        _ = self.theme_sets
        _ = self.checkin_questions
