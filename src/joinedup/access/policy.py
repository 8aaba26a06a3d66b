"""Roles: what each may do, as the gate sees it (an action and a target).

The store names every call to the gate (:mod:`joinedup.store.gate`): ``read alert/A-…``,
``import file/web form``, ``decide alert/A-…``. The rules below are the whole of role-based
access; callers never check roles themselves. The engine's own work (resolution, corroboration,
alerting, the search index) runs as the ``system`` account, whoever set it off.

- ``panel``: reads all casework of its partnership, records decisions, judges merges, submits.
- ``analyst``: reads all, judges merges (confirm/split); no decisions, no submissions.
- ``reporter`` and ``agency_lead``: submit their own agency's concerns, and see its
  submissions and what came of each: that it was linked and acted on, never what other
  agencies said. The agency lead reads every report of the agency; a reporter those they
  submitted. Nothing else of the casework.
- ``admin``: accounts and tokens, and the audit log; no casework reading.

An account reads its own account record, and an admin every account of the partnership; no
role records a sign-in (``login``): sign-in runs as the system, before anyone is signed in.
An account sets its own password (``password account/<name>``) if it has one; an admin sets
any account's, and is the only one who may give a password to an account that signs in by
OpenID Connect only (a second way in that its holder could otherwise open alone).

Reading the audit log (checking it, asking who saw a record) is for ``panel`` and ``admin``;
setting off a full resolution or a retraining for ``panel`` and ``analyst``.
"""

from __future__ import annotations

from collections.abc import Mapping

from joinedup.store.gate import Actor

AGENCY_ROLES = ("reporter", "agency_lead")  # they read their own agency's records only

# (action, target prefix) pairs
INTAKE = (("import", "file/"), ("import", "batch/"), ("write", "batch/"),
          ("read", "report-index"), ("read", "quarantine-index"),
          ("maintain", "statistics/report"), ("ensure", "partnership/"))
# whether the partnership has accounts; one's own account is allowed in RolePolicy.allows.
# Not ("login", ""), nor ("read", "account/") to every role: a store's update_account(name,
# "login", ...) writes any column of any account, and account_named reads its password hash
SELF = (("read", "accounts/any"),)
AUDIT = (("read", "audit"), ("verify", "audit"), ("who-saw", "audit/"))
ADMIN = (("admin", ""), ("read", "accounts"), ("read", "account/"),
         ("password", "account/")) + AUDIT
CASEWORK = (("read", ""),)
NOT_CASEWORK = ("audit", "accounts", "account/")  # reading these is not reading casework
RUN = (("run", "pipeline"),)  # set off a full resolution or a retraining
EXPORT = (("export", "reports"),)  # the partnership's reports (withheld parts: export.py)
ROLE_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "panel": INTAKE + SELF + CASEWORK + AUDIT + RUN + EXPORT
    + (("decide", "alert/"), ("decide-pair", ""), ("escalate", "alert"), ("delete", "report/"),
       ("review", "report/"), ("version", "report/")),
    "analyst": SELF + CASEWORK + RUN + EXPORT + (("decide-pair", ""), ("review", "report/")),
    "reporter": INTAKE + SELF,
    "agency_lead": INTAKE + SELF,
    "admin": SELF + ADMIN,
}


class RolePolicy:
    """The gate's policy for signed-in accounts."""

    def allows(
        self, actor: Actor, action: str, target: str, facts: Mapping[str, str] | None = None
    ) -> bool:
        if actor.role == "system":
            return True
        if action == "read" and target == f"account/{actor.name}":
            return True  # one's own account
        if action == "password" and target == f"account/{actor.name}" \
                and (facts or {}).get("password") == "yes":
            return True  # one's own password, not a first one (the store says which)
        if actor.agency and actor.role in AGENCY_ROLES \
                and _own_agency(actor, action, target, facts or {}):
            return True
        for a, prefix in ROLE_RULES.get(actor.role, ()):
            if action != a or not target.startswith(prefix):
                continue
            if (a, prefix) in CASEWORK and target.startswith(NOT_CASEWORK):
                continue  # casework reading does not reach the audit log or the accounts
            return True
        return False


def _own_agency(actor: Actor, action: str, target: str, facts: Mapping[str, str]) -> bool:
    """An agency's own records: the list of its submissions, with their outcomes, to both
    roles; a report's contents, and sending a new version of it, to the agency lead and to
    the reporter who submitted it; an export of the agency's reports to the lead. The
    organisation is compared whole (``facts["org"]``), never as a prefix of the target."""
    if action == "export":
        return actor.role == "agency_lead" and target == f"reports/{actor.agency}" \
            and facts.get("org") == actor.agency
    if action not in ("read", "review", "version"):
        return False
    if action == "read" and target == f"submissions/{actor.agency}":
        return True
    if target.startswith("report/") and facts.get("org") == actor.agency:
        return actor.role == "agency_lead" or facts.get("submitted_by") == actor.name
    return False
