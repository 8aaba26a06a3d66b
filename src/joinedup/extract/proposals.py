"""A proposal: something the extractor read in a narrative, for a person to confirm.

Each proposal carries the exact span of the narrative it comes from (``start``/``end``
character offsets, ``text`` the span itself), a normalised ``value`` (a plate, an E.164 phone,
an ISO date, an indicator or link type id, a name), the ``role`` of a person or alias where the
text supports one, and a ``confidence`` in [0, 1] saying how sure the rule that made it is.
Nothing proposed counts as structured data until a person accepts it (or the profile lets an
unconfirmed proposal count as weak evidence, and the alert says so:
:mod:`joinedup.extract.unconfirmed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPES = ("person", "alias", "place", "vehicle", "phone", "date", "link", "indicator")


@dataclass(frozen=True)
class Proposal:
    type: str
    start: int
    end: int
    text: str
    value: str
    confidence: float
    role: str = ""
    rule: str = ""  # which rule proposed it: extraction is explainable
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def as_json(self) -> dict[str, Any]:
        """The documented shape of ``joinedup extract --json``."""
        out: dict[str, Any] = {"type": self.type, "text": self.text, "start": self.start,
                               "end": self.end, "value": self.value,
                               "confidence": round(self.confidence, 3)}
        if self.role:
            out["role"] = self.role
        if self.rule:
            out["rule"] = self.rule
        if self.attrs:
            out["attrs"] = dict(self.attrs)
        return out
