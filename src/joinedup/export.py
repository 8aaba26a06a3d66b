"""Export: a partnership's reports as JSON Lines, redacted unless the role may have more.

What leaves the system is the most exposed copy of it. An export is in input contract v1, so
another joinedup (or any tool that reads the contract) can import it, and by default it
withholds two parts:

- ``narratives``: the free text: a report's narrative, each person's description, and an
  imported email's subject line (which often names the child) and sender (a name and an
  address);
- ``protected_attributes``: the profile's protected attributes and the input contract's
  (ethnicity, race, religion, nationality, sexual orientation, gender identity, the UK GDPR
  special categories...), stored for oversight and never scored, matched however the key is
  cased, spaced or written, in any script (:func:`~joinedup.ingest.models.protected_key`):
  under a person's ``attributes``, and under any key of the report's ``extra``, however deep
  (a conflict report's victims carry no attributes, so a source's "religion" comes in
  ``extra``), and as the value of an item labelled with one (``{"key": "religion", "value":
  ...}``);
- ``victims`` (a profile that names it: conflict): victims' personal data, their names, ages,
  sex and relatives (conflict.md rule 6; WHO SSA collects none). Each keeps its ref and
  status, so counts survive.

Which roles may ask for each part is the profile's data (``export_unredacted`` in
``profile.yaml``), read for each report from its own profile: a part a role may include for
one profile's reports and not for another's is withheld from the other's. A withheld part is
removed, and the record says what was removed in
``extra.joinedup_withheld``, so that a reader knows the gap is a redaction, not a silence.
The store's gate decides who may export what (the whole partnership: panel and analysts; an
agency lead: their own agency's reports) and the audit log records every export, with the
parts it included and, under ``taken``, :func:`exported`: how many reports and which, so
that ``joinedup audit who-saw ORG/ID`` finds the exports that took a report out.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from joinedup.errors import AccessDenied, InputError
from joinedup.ingest.models import protected_key
from joinedup.profiles import Profile, load_profile
from joinedup.store import Store

Row = dict[str, Any]
PARTS = ("narratives", "protected_attributes", "victims")
PERSONAL = ("name", "age", "sex", "relatives")  # what ``victims`` withholds of each person
# free text an import keeps in ``extra``: an email's subject line, its sender (a name and an
# address) and its attachments' names
NARRATIVE_EXTRA = ("email_subject", "email_from", "email_attachments_not_read")
# A list of labelled items ({"key": "religion", "value": ...}) holds a characteristic under a
# label, not a key: the label's keys, and the keys that hold what it labels.
LABELS = ("key", "name", "field", "attribute")
LABELLED = ("value", "values")
# An export's audit entry lists the reports it took out up to this many (some 25 bytes each,
# 250 KB at most: a partnership's whole casework, checked by `audit verify` with the rest);
# beyond it, the SHA-256 of their keys and the filter that chose them.
EXPORT_LISTED = 10_000


@dataclass
class ExportResult:
    reports: int = 0
    withheld: dict[str, int] = field(default_factory=dict)  # part -> values withheld


def check_include(
    store: Store, include: Iterable[str], profile: Profile, *others: Profile
) -> frozenset[str]:
    """The parts asked for, each one the actor's role may take out of the reports of at least
    one of the profiles; else a clear refusal."""
    wanted = frozenset(p.strip() for p in include if p.strip())
    unknown = sorted(wanted - set(PARTS))
    if unknown:
        raise InputError(f"cannot include {', '.join(unknown)}",
                         hint=f"parts that can be included: {', '.join(PARTS)}")
    role = store.actor.role
    for part in sorted(wanted):
        allowed = frozenset().union(*(p.export_roles.get(part, frozenset())
                                      for p in (profile, *others)))
        if role != "system" and role not in allowed:
            raise AccessDenied(
                f"a {role.replace('_', ' ')} may not export {part.replace('_', ' ')}",
                hint=f"export without it, or ask an account with the role "
                     f"{' or '.join(sorted(allowed)) or '(none)'}")
    return wanted


def allowed_parts(profile: Profile, role: str, include: frozenset[str]) -> frozenset[str]:
    """Of the parts asked for, those ``role`` may take out of ``profile``'s reports."""
    if role == "system":
        return include
    return frozenset(p for p in include if role in profile.export_roles.get(p, frozenset()))


def redact(body: Row, profile: Profile, include: frozenset[str]) -> tuple[Row, list[str]]:
    """A copy of a report with the parts not included removed, and the paths removed."""
    out = copy.deepcopy(body)
    removed: list[str] = []
    if "victims" not in include and "victims" in profile.export_roles:
        for i, person in enumerate(out.get("people") or []):
            for key in PERSONAL:
                if person.pop(key, None) is not None:
                    removed.append(f"people[{i}].{key}")
    if "narratives" not in include:
        if out.pop("narrative", None) is not None:
            removed.append("narrative")
        for i, person in enumerate(out.get("people") or []):
            if person.pop("description", None) is not None:
                removed.append(f"people[{i}].description")
        extra = out.get("extra")
        if isinstance(extra, dict):
            for key in NARRATIVE_EXTRA:
                if extra.pop(key, None) is not None:
                    removed.append(f"extra.{key}")
    if "protected_attributes" not in include:
        for i, person in enumerate(out.get("people") or []):
            attrs = person.get("attributes") or {}
            for key in sorted(k for k in attrs if is_protected(k, profile)):
                del attrs[key]
                removed.append(f"people[{i}].attributes.{key}")
        _withhold_protected(out.get("extra"), "extra", profile, removed)
    if removed:
        extra = out.get("extra")
        out["extra"] = {**(extra if isinstance(extra, dict) else {}),
                        "joinedup_withheld": removed}
    return out, removed


def export_reports(
    store: Store, out: IO[str], *, org: str = "", include: Iterable[str] = (),
    profile_name: str = "safeguarding",
) -> ExportResult:
    """Write the current reports (of one organisation, or all) as JSON Lines to ``out``."""
    profile = load_profile(profile_name)
    others = [load_profile(n) for n in SHIPPED if n != profile_name]
    wanted = check_include(store, include, profile, *others)
    org = org.strip() or (store.actor.agency or "")  # an agency's account: its own reports
    result = ExportResult(withheld={p: 0 for p in PARTS if p not in wanted})
    for body in store.export_bodies(org, sorted(wanted),
                                    listing=lambda keys: exported(keys, org)):
        own = load_profile(str(body.get("profile", "safeguarding")))
        record, removed = redact(body, own, allowed_parts(own, store.actor.role, wanted))
        for path in removed:
            part = _part_of(path)
            result.withheld[part] = result.withheld.get(part, 0) + 1
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        result.reports += 1
    return result


SHIPPED = ("safeguarding", "conflict")


def report_key(body: Row) -> str:
    """``ORG/ID``, as ``joinedup audit who-saw`` names a report."""
    return f"{(body.get('source') or {}).get('org', '')}/{body.get('id', '')}"


def exported(keys: list[str], org: str) -> Row:
    """What an export's audit entry says of the reports it took out: how many, and which
    (``keys``, ``ORG/ID`` in the file's order). Over :data:`EXPORT_LISTED` reports, instead of
    the list, ``keys_sha256`` (of the keys one per line, in the file's order: whoever holds
    the file can check it is this export) and ``org``, the filter that chose them ("" for
    every organisation), which is all ``who-saw`` can then go by."""
    if len(keys) <= EXPORT_LISTED:
        return {"reports": len(keys), "keys": keys}
    digest = hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()
    return {"reports": len(keys), "keys_sha256": digest, "org": org}


def withholds_victims(profile: Profile, role: str) -> bool:
    """Whether ``role`` may not read the victims ``profile``'s reports name, nor the
    narratives that name them: for a profile that names victims (``victims`` in its
    ``export_unredacted``: conflict), a role that may not include both in an export. A profile
    that names none (safeguarding) withholds nothing here: its narratives are the casework its
    readers read. The submission page and search keep to it."""
    if "victims" not in profile.export_roles:
        return False
    both = frozenset({"victims", "narratives"})
    return allowed_parts(profile, role, both) != both


def is_protected(key: str, profile: Profile) -> bool:
    """Whether an attribute's key names a protected characteristic: one of the profile's, or
    one :func:`~joinedup.ingest.models.protected_key` reads as such, however it is cased,
    spaced or worded, in any script ("Ethnicity", "religion ", "ethnic_group", "sexuality",
    "origine ethnique", "الطائفة"). A key a profile forgot, or an agency wrote its own way,
    must not take the value out unredacted."""
    return protected_key(key, profile.protected_attributes)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _withhold_protected(node: Any, path: str, profile: Profile, removed: list[str]) -> None:
    """Remove every key naming a protected characteristic from ``node`` (the report's
    ``extra``) and from every map nested in it, lists' items too, adding each path removed to
    ``removed``. ``extra`` is the contract's free part, so a source puts there what the model
    has no field for, and a key nested in it ("victims": [{"sect": ...}]) leaves the system as
    surely as one at the top. An item labelled with such a key (``{"key": "religion",
    "value": ...}``, or ``name``, ``field``, ``attribute``) keeps its label and loses the rest.
    Its depth is bounded when a report is read (16 levels)."""
    if isinstance(node, dict):
        labelled = any(k in node for k in LABELLED) and any(
            isinstance(node.get(k), str) and is_protected(node[k], profile) for k in LABELS)
        for key in [k for k in node if (labelled and k not in LABELS)
                    or is_protected(str(k), profile)]:
            del node[key]
            removed.append(_child(path, str(key)))
        for key, value in node.items():
            _withhold_protected(value, _child(path, str(key)), profile, removed)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _withhold_protected(value, f"{path}[{i}]", profile, removed)


def _child(path: str, key: str) -> str:
    """``path.key``, or ``path["key"]`` for a key that is not a plain name."""
    if _NAME.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"  # "الطائفة" written as it is


def _part_of(path: str) -> str:
    """The part a withheld path belongs to."""
    if ".attributes." in path:
        return "protected_attributes"
    if path.startswith("extra") and path.removeprefix("extra.") not in NARRATIVE_EXTRA:
        return "protected_attributes"
    if path.startswith("people[") and path.rsplit(".", 1)[-1] in PERSONAL:
        return "victims"
    return "narratives"
