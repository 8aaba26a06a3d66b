"""Extract: turn a report into mentions, links and dated indicator observations.

Structured reports are read field by field here (:mod:`joinedup.extract.structured`); free-text
narratives get their own proposers later, feeding the same :class:`Extraction`.
"""

from joinedup.extract.structured import Extraction, Mention, extract_report

__all__ = ["Extraction", "Mention", "extract_report"]
