"""The gate: the one place where every read and write of the store is authorised and audited.

The store calls :meth:`Gate.check` before it touches a table, naming the action and its target.
The policy decides (need to know); the audit log records it as a hash-chained entry. The access
issue replaces :class:`AllowAll` with role- and agency-scoped policies without touching callers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from joinedup.errors import AccessDenied

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who is acting: a named account of one partnership, with a role and an agency."""

    name: str
    partnership: str
    role: str = "system"
    agency: str | None = None

    @classmethod
    def local(cls, partnership: str = "default") -> Actor:
        """The CLI's local account: acts for the whole of its partnership."""
        return cls(name="local", partnership=partnership, role="system")


class Policy(Protocol):
    def allows(
        self, actor: Actor, action: str, target: str, facts: Mapping[str, str] | None = None
    ) -> bool: ...


class AllowAll:
    """The policy of a single-user embedded store: the local account may do everything."""

    def allows(
        self, actor: Actor, action: str, target: str, facts: Mapping[str, str] | None = None
    ) -> bool:
        return True


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """Hash of an audit entry chained to the one before it.

    Canonical JSON (sorted keys, no spaces) so that the same entry always hashes the same on
    SQLite and PostgreSQL.
    """
    body = json.dumps(
        {k: _canonical(v) for k, v in entry.items()},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    """Datetimes as naive UTC ISO text: SQLite and PostgreSQL hand them back differently."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    return value


@dataclass
class Gate:
    """Authorises an action for an actor and produces the audit entry that records it."""

    actor: Actor
    policy: Policy
    on_denied: Callable[[str, str], None] | None = None  # the store audits a refusal

    def check(self, action: str, target: str, facts: Mapping[str, str] | None = None) -> None:
        """Refuse the action unless the policy allows it. ``facts`` are what the policy may
        need beyond the target's name: the organisation a report is of, who submitted it.
        A refusal is audited too: who tried to see a record matters as much as who saw it."""
        if not self.policy.allows(self.actor, action, target, facts):
            if self.on_denied is not None:
                self.on_denied(action, target)
            raise AccessDenied(
                f"{self.actor.name} ({self.actor.role}) may not {action} {target}",
                hint="ask your partnership's administrator for access if you need it",
            )

    def entry(self, action: str, target: str, detail: dict[str, Any]) -> dict[str, Any]:
        return {
            "partnership": self.actor.partnership,
            "at": datetime.now(UTC).replace(microsecond=0),
            "actor": self.actor.name,
            "action": action,
            "target": target,
            "detail": detail,
        }
