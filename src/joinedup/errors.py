"""The one exception tree of joinedup.

Every error the system raises on purpose descends from :class:`JoinedupError`, so the
edges (CLI, web) can turn any of them into a message that says what went wrong and what
to do next, while a bug (any other exception) still shows its traceback::

    JoinedupError
    ├── InputError          a report, file or argument the user gave is not usable
    │   └── RecordError     one record of a file is invalid (file, line, field, reason)
    ├── ProfileError        a profile's YAML is broken (file, key, reason)
    ├── StoreError          the database refused or failed (carries the statement)
    ├── AccessDenied        the actor may not do this (need to know)
    ├── DecisionRefused     a decision breaks a rule of the profile (e.g. a child's consent)
    └── NotFound            an id that names nothing the actor can see
"""

from __future__ import annotations

from typing import Any


class JoinedupError(Exception):
    """Root of every error joinedup raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def details(self) -> dict[str, Any]:
        """Structured details for an API response or a form beside its field."""
        return {"error": type(self).__name__, "message": self.message, "hint": self.hint}


class InputError(JoinedupError):
    """Input the user gave cannot be used as it is."""


class RecordError(InputError):
    """One record of an input file is invalid; it is quarantined, never dropped."""

    def __init__(self, file: str, line: int, field: str, reason: str) -> None:
        super().__init__(f"{file}:{line}: {field}: {reason}")
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its fields when it crosses to another process (a worker checking
        # records): an exception is pickled by its message alone otherwise
        return (type(self), (self.file, self.line, self.field, self.reason), self.__dict__)

    def details(self) -> dict[str, Any]:
        return {
            **super().details(),
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
        }


class ProfileError(JoinedupError):
    """A profile (YAML data) is broken; names the file and key."""


class StoreError(JoinedupError):
    """The database failed; carries the statement that failed."""

    def __init__(self, message: str, *, statement: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.statement = statement


class AccessDenied(JoinedupError):
    """The actor may not do this: need to know."""


class DecisionRefused(JoinedupError):
    """A decision that the profile forbids, such as closing a child's case as consensual."""


class NotFound(JoinedupError):
    """An id that names nothing the actor can see."""
