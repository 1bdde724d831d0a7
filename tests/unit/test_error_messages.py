"""Every error code the code raises renders, with exactly the params its raisers pass (StrictUndefined turns
a missing one into the generic error a person would see instead)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from bot.domain.errors import DomainError
from handlers.errors import describe
from tests.harness import shared_texts

ROOT = Path(__file__).resolve().parents[2]
RAISERS = {"DomainError", "BadInput", "NotAllowed"}
# A plausible value for each param a raiser passes; anything else gets a word.
SAMPLES: dict[str, Any] = {
    "chairs": ["UCHAIR", "UCOCHAIR"], "user": "UMGR1", "stage": "ground_rules", "stages": ["check_in", "themes"],
    "groups": ["Group <one>", "Group & two"], "valid": ["Theme A", "Theme B"], "matches": ["Theme A", "Theme B"],
    "statuses": ["done", "blocked"], "length": 601, "limit": 500, "count": 31, "number": 2, "last": 3,
    "version": 1, "current": 2, "given": "<!here> & co",
}


def raised_codes() -> list[tuple[str, frozenset[str], str]]:
    """(code, param names, where) for every `raise BadInput("code", ...)`-style call in bot/ and handlers/."""
    found = []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in RAISERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                names = frozenset(k.arg for k in node.keywords if k.arg)
                found.append((node.args[0].value, names, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def form_error_codes() -> list[str]:
    """The codes validate_setup puts on form fields; handlers render them with no params."""
    tree = ast.parse((ROOT / "bot/services/groups.py").read_text(encoding="utf-8"))
    return sorted({node.value.value for node in ast.walk(tree)
                   if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                   and isinstance(node.value.value, str) and isinstance(node.targets[0], ast.Subscript)})


CODES = raised_codes()


def test_the_scan_finds_the_raisers() -> None:
    assert len(CODES) > 40
    assert any(code == "action_description_long" and "length" in names for code, names, _ in CODES)


@pytest.mark.parametrize(("code", "names", "where"), CODES, ids=[f"{c[0]}@{c[2]}" for c in CODES])
def test_every_raised_error_renders_with_the_params_given(code: str, names: frozenset[str], where: str) -> None:
    texts = shared_texts()
    error = DomainError(code, **{name: SAMPLES.get(name, "word") for name in names})
    message = describe(error, texts)
    assert message != texts.say("internal_error"), f"{code} raised at {where} has no message"
    assert "<!here>" not in message


@pytest.mark.parametrize("code", form_error_codes())
def test_every_setup_form_error_renders_without_params(code: str) -> None:
    texts = shared_texts()
    assert texts.say(code) != texts.say("internal_error")
