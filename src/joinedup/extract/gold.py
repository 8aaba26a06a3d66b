"""The annotated evaluation set of narratives: its markup, and the gold spans it gives.

Narratives are written for the project in ``eval/extract/{dev,test}/*.yaml`` (see the README
there) with inline marks around what an extractor should find:

    {{TYPE[/ROLE][=VALUE]|surface text[|key=value;key=value]}}

for example ``{{alias/person_of_concern|Tiger|ref=m1}}``, ``{{phone=+447700900123|07700
900123}}`` or ``{{indicator=missing_overnight|did not come home until the next morning}}``.
:func:`parse_marked` removes the marks and returns the plain text with each span's character
offsets in it, so that offsets are never counted by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

TYPES = ("person", "alias", "place", "vehicle", "phone", "date", "link", "indicator")
# values that must be given in the mark (a normalised form the surface text does not show)
EXPLICIT = ("phone", "date", "link", "indicator")
_MARK = re.compile(r"\{\{([a-z_]+)(?:/([a-z_]+))?(?:=([^|}]*))?\|([^|}]+)(?:\|([^}]*))?\}\}")
EVAL_DIR = Path(__file__).resolve().parents[3] / "eval" / "extract"


class MarkupError(ValueError):
    """A mark the evaluation set cannot use; names the narrative and the mark."""


@dataclass(frozen=True)
class Span:
    """One thing a narrative says that an extractor should propose."""

    type: str
    start: int
    end: int
    text: str
    value: str
    role: str = ""
    attrs: dict[str, str] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "start": self.start, "end": self.end,
                               "text": self.text, "value": self.value}
        if self.role:
            out["role"] = self.role
        if self.attrs:
            out["attrs"] = dict(self.attrs)
        return out


@dataclass(frozen=True)
class Narrative:
    id: str
    style: str
    reported_at: date
    text: str
    spans: tuple[Span, ...]


def default_value(kind: str, surface: str) -> str:
    """The value of a mark that gives none: the surface text, tidied (an alias without its
    quotes; a place or vehicle description in lower case)."""
    text = " ".join(surface.split())
    if kind == "alias":
        return text.strip("'\"‘’“”")
    if kind == "vehicle":
        return text.lower()
    return text


def parse_marked(marked: str, where: str = "") -> tuple[str, list[Span]]:
    """Plain text and spans from marked text."""
    out: list[str] = []
    spans: list[Span] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(marked):
        before = marked[pos:m.start()]
        if "{{" in before or "}}" in before:
            raise MarkupError(f"{where}: a mark that does not parse near {before[-40:]!r}")
        out.append(before)
        length += len(before)
        kind, role, value, surface, extra = m.groups()
        if kind not in TYPES:
            raise MarkupError(f"{where}: unknown type {kind!r} in {m.group(0)!r}")
        if kind in EXPLICIT and not value:
            raise MarkupError(f"{where}: a {kind} needs =VALUE in {m.group(0)!r}")
        attrs: dict[str, str] = {}
        for pair in (extra or "").split(";"):
            if pair.strip():
                key, _, val = pair.partition("=")
                attrs[key.strip()] = val.strip()
        spans.append(Span(kind, length, length + len(surface), surface,
                          value.strip() if value else default_value(kind, surface),
                          role or "", attrs))
        out.append(surface)
        length += len(surface)
        pos = m.end()
    rest = marked[pos:]
    if "{{" in rest or "}}" in rest:
        raise MarkupError(f"{where}: a mark that does not parse near {rest[:40]!r}")
    out.append(rest)
    return "".join(out), spans


def load_set(split: str, directory: Path = EVAL_DIR) -> list[Narrative]:
    """Every narrative of a split (``dev`` or ``test``), in file and then list order."""
    found: list[Narrative] = []
    for path in sorted((directory / split).glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for i, item in enumerate(items):
            where = f"{path.name}[{i}] {item.get('id', '?')}"
            text, spans = parse_marked(str(item["text"]).strip(), where)
            reported = item["reported_at"]
            found.append(Narrative(
                id=str(item["id"]), style=str(item.get("style", "")),
                reported_at=reported if isinstance(reported, date)
                else date.fromisoformat(str(reported)),
                text=text, spans=tuple(spans)))
    ids = [n.id for n in found]
    if len(ids) != len(set(ids)):
        raise MarkupError(f"{split}: narrative ids repeat")
    return found


def main() -> None:
    """``python -m joinedup.extract.gold``: check the set and count its spans by type."""
    from collections import Counter

    for split in ("dev", "test"):
        narratives = load_set(split)
        counts = Counter(s.type for n in narratives for s in n.spans)
        words = sum(len(n.text.split()) for n in narratives)
        styles = Counter(n.style for n in narratives)
        print(f"{split}: {len(narratives)} narratives, {words} words; "
              + ", ".join(f"{t} {counts[t]}" for t in TYPES))
        print("  styles: " + ", ".join(f"{k} {v}" for k, v in sorted(styles.items())))


if __name__ == "__main__":
    main()
