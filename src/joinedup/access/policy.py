"""Roles: what each may do, as the gate sees it (an action and a target).

The store names every call to the gate (:mod:`joinedup.store.gate`): ``read alert/A-…``,
``import file/web form``, ``decide alert/A-…``. The rules below are the whole of role-based
access; callers never check roles themselves. The engine's own work (resolution, corroboration,
alerting, the search index) runs as the ``system`` account, whoever set it off.

- ``panel``: reads all casework of its partnership, records decisions, judges merges, submits.
- ``analyst``: reads all, judges merges (confirm/split); no decisions, no submissions.
- ``reporter`` and ``agency_lead``: submit concerns, and see that they were linked and acted on;
  no casework reading (reading an agency's own records comes with agency scoping).
- ``admin``: accounts and tokens; no casework reading.
"""

from __future__ import annotations

from joinedup.store.gate import Actor

# (action, target prefix) pairs
INTAKE = (("import", "file/"), ("import", "batch/"), ("write", "batch/"),
          ("read", "report-index"), ("read", "quarantine-index"),
          ("maintain", "statistics/report"), ("ensure", "partnership/"))
SELF = (("read", "accounts/any"), ("read", "account/"), ("login", ""))
ADMIN = (("admin", ""), ("read", "accounts"))
CASEWORK = (("read", ""),)
ROLE_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "panel": INTAKE + SELF + CASEWORK + (("decide", "alert/"), ("decide-pair", "")),
    "analyst": SELF + CASEWORK + (("decide-pair", ""),),
    "reporter": INTAKE + SELF,
    "agency_lead": INTAKE + SELF,
    "admin": SELF + ADMIN,
}


class RolePolicy:
    """The gate's policy for signed-in accounts."""

    def allows(self, actor: Actor, action: str, target: str) -> bool:
        if actor.role == "system":
            return True
        return any(
            action == a and target.startswith(prefix)
            for a, prefix in ROLE_RULES.get(actor.role, ())
        )
