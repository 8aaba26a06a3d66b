"""Protected characteristics leave no export under a key written in another script or
language, nor as a labelled item, and no spelling of one makes it an identifier.

A review reproduced an analyst's export of a conflict report that withheld ``extra.religion``
and let out ``extra["الطائفة"]`` (Arabic, "the sect"), ``ethnie``, ``origine_ethnique``,
``political_affiliation``, ``disability`` and ``fields: [{"key": "religion", "value": ...}]``:
the key was folded to ``[a-z0-9]`` words, so an Arabic key became nothing, and the words were
English only. The words are the profiles' (``protected_attributes``, with the UK GDPR special
categories and, for conflict, their French and Arabic), read by ``protected_key``; what
resolution and the engine read (an age, a sex, an NHS number, an ACLED id) stays out of
them. Both stores."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from joinedup.access.policy import RolePolicy
from joinedup.export import export_reports, redact
from joinedup.ingest.importer import submit_report
from joinedup.ingest.models import ValidationFailed, parse_report, protected_key
from joinedup.profiles import load_profile
from joinedup.store import Store
from joinedup.store.gate import Actor

SECRET = "recorded-value"


@pytest.mark.parametrize("key", [
    "الطائفة", "طائفة", "الـطـائـفـة", "المذهب", "الدِّين", "الديانة", "العرق", "الإثنية",
    "القومية", "الجنسية", "اللغة", "القبيلة", "العشيرة", "الانتماء السياسي", "النقابة",
    "الحالة الصحية", "الإعاقة", "الميول الجنسية",
    "ethnie", "origine_ethnique", "Origine ethnique", "Nationalité", "confession religieuse",
    "langue maternelle", "tribu", "opinion politique", "appartenance syndicale",
    "état de santé", "handicap", "grossesse", "orientation sexuelle", "identité de genre",
    "political_affiliation", "Political opinion", "trade union membership", "health_condition",
    "mental health", "disability", "Disabled", "pregnancy", "sex_life", "trans_status",
    "transgender", "gender reassignment",
])
def test_a_protected_characteristic_is_read_in_any_script_and_language(key: str) -> None:
    assert protected_key(key)


@pytest.mark.parametrize("key", [
    "age", "sex", "health", "santé", "nhs_number", "council_child_id", "soc_sec_id",
    "phv_badge", "acled_id", "ucdp_id", "headline", "source_scale", "transport", "party",
    "email_subject", "school_year", "الصحة", "note",
])
def test_what_the_engine_reads_is_not_protected(key: str) -> None:
    """An age, a sex, an agency ("health"), an identifier resolution compares, the record
    keys incidents are matched on: none is taken for a protected characteristic."""
    assert not protected_key(key)


def test_a_special_category_is_never_an_identifier() -> None:
    report = {"id": "EX-41", "source": {"agency": "police", "org": "vale-police"},
              "reported_at": "2009-05-01",
              "people": [{"ref": "c", "role": "child",
                          "identifiers": {"disability_register": "D-7"}}]}
    with pytest.raises(ValidationFailed, match="protected characteristic"):
        parse_report(report, vocabulary=None, file="a.jsonl", line=1)


def _conflict() -> dict[str, Any]:
    return {
        "profile": "conflict", "id": "mon-41", "reported_at": "2016-08-02",
        "source": {"agency": "local_monitor", "org": "aleppo-monitor"},
        "occurred_from": "2016-08-01",
        "location": {"name": "al-Shaar", "admin1": "Aleppo", "precision": "neighbourhood"},
        "harm": {"mechanism": "shelling", "targets": ["residential"]},
        "extra": {
            "religion": SECRET, "الطائفة": SECRET, "ethnie": SECRET,
            "origine_ethnique": SECRET, "political_affiliation": SECRET, "disability": SECRET,
            "fields": [{"key": "religion", "value": SECRET},
                       {"name": "Tribu", "values": [SECRET]},
                       {"key": "shelter", "value": "school"}],
            "source_scale": "local",
        },
    }


def test_redact_withholds_keys_in_any_script_and_labelled_items() -> None:
    body, removed = redact(_conflict(), load_profile("conflict"), frozenset())
    assert SECRET not in json.dumps(body, ensure_ascii=False)
    assert body["extra"]["source_scale"] == "local"
    assert body["extra"]["fields"] == [{"key": "religion"}, {"name": "Tribu"},
                                       {"key": "shelter", "value": "school"}]
    assert {'extra["الطائفة"]', "extra.ethnie", "extra.fields[0].value",
            "extra.fields[1].values"} <= set(removed)


@pytest.fixture
def exported_by_analyst(store: Store) -> str:
    submit_report(store, _conflict(), "test")
    analyst = Store(store.engine, Actor("acc.analyst", "default", "analyst", None), RolePolicy())
    buffer = io.StringIO()
    done = export_reports(analyst, buffer)
    assert done.withheld["protected_attributes"] >= 8
    return buffer.getvalue()


def test_an_analysts_export_lets_no_protected_characteristic_out(
    exported_by_analyst: str,
) -> None:
    [record] = [json.loads(line) for line in exported_by_analyst.splitlines()]
    assert SECRET not in json.dumps(record, ensure_ascii=False)
    assert record["extra"]["source_scale"] == "local"
    assert "extra.political_affiliation" in record["extra"]["joinedup_withheld"]
