"""Rule changes: a change to a profile's data is recorded in the audit log when the engine
first runs with it.

A profile's rules, indicators, timescales and decision vocabulary are files deployed with the
engine (schemas as data), so a rule changes when an administrator deploys a changed file, not
through a screen. The engine fingerprints every file of the profile as it loads it; each time
it runs, when that fingerprint differs from the one it ran with before, it appends
``rule-change profile/<name>`` to the audit log, naming the files that changed and their new
hashes, before anything is scored with the new rules: an alert raised after that entry was
raised under the new rules.
"""

from __future__ import annotations

from joinedup.profiles import Profile
from joinedup.store import Store


def note_rule_changes(store: Store, profile: Profile) -> list[str]:
    """Audit the profile's files that changed since the engine last ran (all of them, the
    first time); return their names."""
    key = f"profile/{profile.name}"
    before = store.get_param(key) or {}
    now = profile.fingerprint
    if before == now:
        return []
    changed = sorted(name for name in set(before) | set(now) if before.get(name) != now.get(name))
    store.audit_note("rule-change", key, files=changed, first=not before,
                     hashes={name: now.get(name, "(removed)") for name in changed})
    store.set_param(key, now)
    return changed
