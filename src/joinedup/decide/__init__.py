"""Decide: the panel records what it will do about each alert, and the system holds it to that.

The last stage of ``ingest → extract → resolve → corroborate → alert → decide``. What may be
decided is the profile's data (``profiles/<name>/decisions.yaml``): the actions, which of them
close an alert, and the wording no rationale may use. In the safeguarding profile that is
consent and the child's "choice": a child cannot consent to their own exploitation
(safeguarding.md R3), so a decision of any action whose rationale frames it so is refused with
:class:`DecisionRefused` and nothing is recorded. The rationale is normalised before it is read
(:mod:`joinedup.decide.rationale`), so invisible characters, look-alike letters and odd hyphens
do not get the wording past. An action's due date may not be later than the limit the profile's
``timescales.yaml`` sets for it, nor before the day it is decided (in the profile's local time):
an action due yesterday is overdue the moment it is recorded. Decisions are append-only; the
latest one is the alert's state, of those since the alert was last raised (a withdrawn alert
raised again awaits a new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from joinedup.decide.rationale import RefusedWording, refused_wording
from joinedup.decide.timescales import decision_timescales
from joinedup.errors import DecisionRefused, InputError, ProfileError
from joinedup.profiles import PROFILES_DIR, load_profile, read_data
from joinedup.store import Store

Row = dict[str, Any]


class DecisionInvalid(InputError):
    """A decision with a missing or malformed field; names the field for the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message

    def details(self) -> dict[str, Any]:
        return {**super().details(), "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class Action:
    id: str
    label: str
    closes: bool


@dataclass(frozen=True)
class DecisionRules:
    """A profile's decision vocabulary and the rationale wording it refuses."""

    actions: dict[str, Action]
    refused: RefusedWording
    refused_message: str
    refused_source: str

    def refusal(self, action: str, rationale: str) -> str | None:
        """The profile's message when this rationale is refused, else None.

        Whatever the action: a concern kept "under review" on consent is closed on consent in
        all but name, and a later "close: as above" would point back to it. The message ends
        with the wording found, so the writer knows what to change."""
        del action  # every action is held to it; kept so callers need not change
        found = self.refused.found(rationale)
        if found is None:
            return None
        return f"{self.refused_message} (The rationale says \u201c{found}\u201d.)"


@cache
def decision_rules(profile_name: str = "safeguarding") -> DecisionRules:
    """Load ``decisions.yaml`` of a profile; a broken file names itself and the key."""
    path = load_profile(profile_name).directory / "decisions.yaml"
    data = read_data(path, "the decision rules")
    if not isinstance(data.get("actions"), dict):
        raise ProfileError(f"{path}: missing key 'actions'")
    actions = {
        k: Action(k, str((v or {}).get("label", k)), bool((v or {}).get("closes", False)))
        for k, v in data["actions"].items()
    }
    refused = data.get("refused_rationales") or {}
    if not isinstance(refused, dict):
        raise ProfileError(f"{path}: refused_rationales: expected a mapping")
    return DecisionRules(
        actions=actions,
        refused=refused_wording(refused, f"{path}: refused_rationales"),
        refused_message=" ".join(str(refused.get("message", "")).split()),
        refused_source=str(refused.get("source", "")),
    )


def record_decision(
    store: Store,
    alert_id: str,
    *,
    action: str,
    owner: str,
    rationale: str,
    due: date | str | None = None,
    decided_by: str | None = None,
    profile_name: str | None = None,
    now: datetime | None = None,
) -> Row:
    """Check and append a decision on an alert; return it as stored.

    The alert is held to its own profile's decisions (``profile_name``, by default the
    profile of the report that raised it: :func:`alert_profile`): a conflict alert is decided
    with the conflict profile's actions, not the safeguarding panel's.

    Raises :class:`DecisionInvalid` naming the field at fault, or :class:`DecisionRefused`
    when the profile forbids the decision (a rationale framing a child's exploitation as consent
    or choice, whatever the action).
    """
    store.gate.check("decide", f"alert/{alert_id}")  # who may decide, before what is wrong
    profile_name = profile_name or alert_profile(store, alert_id)
    rules = decision_rules(profile_name)
    action = (action or "").strip()
    owner = (owner or "").strip()
    rationale = (rationale or "").strip()
    if action not in rules.actions:
        raise DecisionInvalid(
            "action", f"choose one of: {', '.join(rules.actions)} (got {action!r})"
        )
    if not owner:
        raise DecisionInvalid("owner", "name who owns the action (a person or a team)")
    if len(owner) > 200:
        raise DecisionInvalid("owner", "at most 200 characters")
    if not rationale:
        raise DecisionInvalid("rationale", "write the reason for this decision")
    if len(rationale) > 10_000:
        raise DecisionInvalid("rationale", "at most 10,000 characters")
    closes = rules.actions[action].closes
    due_day = _due(due)
    if due_day is None and not closes:
        raise DecisionInvalid("due", "an action needs a due date (YYYY-MM-DD)")
    refusal = rules.refusal(action, rationale)
    if refusal:
        raise DecisionRefused(refusal, hint=f"source: {rules.refused_source}")
    decided_at = now or datetime.now(UTC)
    clock = decision_timescales(profile_name)  # None: the profile sets no deadlines
    today = clock.calendar.local_date(decided_at) if clock else decided_at.astimezone(UTC).date()
    if due_day and due_day < today:
        raise DecisionInvalid("due", f"{due_day} is before today")
    limit = clock.latest_due(action, decided_at) if clock else None
    if limit and due_day and due_day > limit[0]:
        raise DecisionInvalid(
            "due", f"{rules.actions[action].label} is due by {limit[0]} at the latest "
                   f"({limit[1]})"
        )
    row = {
        "alert": alert_id,
        "action": action,
        "closes": closes,
        "owner": owner,
        "due": due_day,
        "rationale": rationale,
        "decided_by": decided_by or store.actor.name,
        "decided_at": decided_at,
    }
    row["pk"] = store.add_decision(row)
    return row


@cache
def shipped_actions() -> dict[str, Action]:
    """Every shipped profile's actions by id, for telling what came of a report without
    knowing which profile each alert citing it belongs to."""
    return {action.id: action
            for path in sorted(PROFILES_DIR.glob("*/decisions.yaml"))
            for action in decision_rules(path.parent.name).actions.values()}


def alert_profile(store: Store, alert_id: str) -> str:
    """The profile an alert belongs to: that of the report that raised it."""
    alert = store.alert(alert_id)
    raised = store.reports_by_pk([alert["raised_by"]]).get(alert["raised_by"])
    return str(raised["profile"]) if raised else "safeguarding"


def _due(due: date | str | None) -> date | None:
    if due is None or isinstance(due, date):
        return due
    text = due.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DecisionInvalid("due", f"expected a date as YYYY-MM-DD (got {text!r})") from None


def decision_state(
    alert: Row, decisions: list[Row], now: datetime | None = None
) -> dict[str, Any]:
    """Where an alert stands: ``awaiting`` a decision (with how long it has waited since it was
    raised), ``actioned`` (the latest decision is an action), or ``closed``.

    A withdrawn alert raised again after a decision counts only the decisions since
    (``reraised_after``, :meth:`Store.sync_alerts`): a closing decision taken before the pattern
    came back does not close it, and its wait runs from ``reraised_at``. ``history`` holds every
    decision, the earlier ones too, oldest first."""
    now = now or datetime.now(UTC)
    mine = [d for d in decisions if d["alert"] == alert["id"]]
    after = alert.get("reraised_after") or 0
    current = [d for d in mine if not after or int(d["pk"]) > after]
    if not current:
        raised = _aware(alert.get("reraised_at") or alert["created_at"])
        return {
            "status": "awaiting",
            "waited_hours": max(0.0, (now - raised).total_seconds() / 3600),
            "latest": None,
            "history": mine,
        }
    latest = current[-1]
    return {
        "status": "closed" if latest["closes"] else "actioned",
        "waited_hours": None,
        "latest": latest,
        "history": mine,
    }


def _aware(moment: datetime) -> datetime:
    """SQLite hands back timezone-aware columns without their zone: they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def waited_text(hours: float) -> str:
    """'3 h', '2 days', for an inbox column."""
    if hours < 48:
        return f"{int(hours)} h"
    return f"{int(hours // 24)} days"
