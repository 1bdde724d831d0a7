"""The resident-data guardrail measured on its labelled sentences: detection and false-alarm rates.

    .venv/bin/python -m bench.guardrail [--show]

Prints the rates for the sentences it was tuned on, the held-out quarter it was not tuned on, and all of
them. `--show` lists the sentences it gets wrong (they are made up; nothing real is printed).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.domain.guardrail import scan

SENTENCES = Path(__file__).resolve().parent.parent / "tests" / "data" / "guardrail_sentences.yml"


@dataclass(frozen=True)
class Labelled:
    text: str
    resident: bool
    held_out: bool


@dataclass(frozen=True)
class Rates:
    positives: int
    detected: int
    negatives: int
    false_alarms: int

    @property
    def detection(self) -> float:
        return self.detected / self.positives if self.positives else 1.0

    @property
    def false_alarm(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else 0.0


def load() -> list[Labelled]:
    data = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    return [Labelled(s["text"], s["label"] == "resident", bool(s["held_out"])) for s in data["sentences"]]


def measure(items: list[Labelled]) -> tuple[Rates, list[Labelled]]:
    """The rates over `items`, and the ones it got wrong."""
    wrong = [s for s in items if bool(scan(s.text)) != s.resident]
    pos = [s for s in items if s.resident]
    neg = [s for s in items if not s.resident]
    return Rates(len(pos), sum(1 for s in pos if s not in wrong), len(neg), sum(1 for s in neg if s in wrong)), wrong


def main(argv: list[str]) -> None:
    items = load()
    portions = {"tuned on": [s for s in items if not s.held_out], "held out": [s for s in items if s.held_out],
                "all": items}
    print(f"resident-data guardrail on {len(items)} labelled sentences ({SENTENCES.name})")
    for name, part in portions.items():
        rates, wrong = measure(part)
        print(f"  {name:9} {len(part):4} sentences: detection {rates.detection:6.1%} "
              f"({rates.detected}/{rates.positives}), false alarms {rates.false_alarm:5.1%} "
              f"({rates.false_alarms}/{rates.negatives})")
        if "--show" in argv and name != "all":
            for s in wrong:
                print(f"      {'missed' if s.resident else 'false alarm'}: {s.text}")


if __name__ == "__main__":
    main(sys.argv[1:])
