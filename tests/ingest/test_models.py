"""The input contract: what a valid report is, and what each mistake is called."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from joinedup.errors import RecordError
from joinedup.ingest.models import (
    DEFAULT_SAFEGUARDING_VOCABULARY,
    PartialDate,
    SafeguardingReport,
    StaticVocabulary,
    ValidationFailed,
    parse_report,
)

VOCAB = DEFAULT_SAFEGUARDING_VOCABULARY
REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("JOINEDUP_SHARED", REPO.parent / "shared"))
PROFILE_INDICATORS = REPO / "src/joinedup/profiles/safeguarding/indicators.yaml"

MINIMAL: dict[str, Any] = {
    "id": "NP-2008-0001",
    "source": {"agency": "police", "org": "northbridge-police"},
    "reported_at": "2008-07-14",
}

FULL: dict[str, Any] = {
    "id": "SC/2008/0412",
    "profile": "safeguarding",
    "source": {"agency": "social_care", "org": "northbridge-council", "reporter": "A. Worker"},
    "informant": "w1",
    "derived_from": ["NC-2008-0399", "northbridge-police/NP-2008-0001"],
    "reported_at": "2008-07-14T09:30:00+01:00",
    "occurred_from": "2008-06",
    "occurred_to": "2008-07-12",
    "people": [
        {
            "ref": "c1",
            "role": "child",
            "name": "Jodie Example",
            "aliases": ["Jo"],
            "dob": "1994-03",
            "sex": "female",
            "phones": ["07700 900123"],
            "addresses": ["12 Fictional Row, Northbridge"],
            "identifiers": {"council_child_id": "RC-1042"},
            "description": "Slight build, school uniform.",
            "attributes": {"ethnicity": "recorded as given", "looked_after": True, "siblings": 2},
        },
        {
            "ref": "r1",
            "role": "recruiter",
            "aliases": ["Tiger"],
            "age_range": "forties",
            "sex": "male",
            "vehicles": [
                {
                    "reg": "MA08 X??",
                    "make": "Toyota",
                    "model": "Avensis",
                    "colour": "silver",
                    "kind": "taxi",
                }
            ],
        },
        {"ref": "w1", "role": "witness", "age": 44},
    ],
    "places": [
        {
            "ref": "pl1",
            "name": "Kebab Palace (fictional)",
            "kind": "takeaway",
            "address": "1 Nowhere Street",
            "postcode": "ZZ1 1ZZ",
            "lat": 53.61,
            "lon": -2.16,
        },
        {"ref": "pl2", "kind": "garage_forecourt"},
    ],
    "links": [
        {"from": "r1", "to": "c1", "type": "supplied_alcohol", "date": "2008-07"},
        {"from": "r1", "to": "pl1", "type": "works_at"},
        {"from": "c1", "to": "pl1", "type": "taken_to", "date": "2008-07-12"},
    ],
    "indicators": [
        "missing_overnight",
        {"id": "alcohol_supplied", "about": "c1", "observed_at": "2008-07-12"},
    ],
    "narrative": "Fictional account: Jo was seen getting into a silver taxi outside the takeaway.",
    "extra": {"source_system": {"name": "CaseBook", "version": 3}},
}

VALID_REPORTS = {"minimal": MINIMAL, "full": FULL}


def changed(base: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    raw = copy.deepcopy(base)
    change(raw)
    return raw


def parse(raw: object, vocabulary: Any = VOCAB) -> SafeguardingReport:
    return parse_report(raw, vocabulary=vocabulary, file="reports.jsonl", line=7)


def failure(raw: object, vocabulary: Any = VOCAB) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse(raw, vocabulary)
    return caught.value


@pytest.mark.parametrize("name", VALID_REPORTS)
def test_valid_report_is_accepted(name: str) -> None:
    report = parse(VALID_REPORTS[name])
    assert report.id == VALID_REPORTS[name]["id"]
    assert report.profile == "safeguarding"


def test_full_report_keeps_every_field() -> None:
    report = parse(FULL)
    assert report.reported_at == datetime(2008, 7, 14, 8, 30, tzinfo=UTC)
    assert report.people[1].vehicles[0].reg == "MA08 X??"
    assert report.people[0].attributes["ethnicity"] == "recorded as given"
    assert report.links[0].from_ == "r1"
    assert report.places[1].kind == "garage_forecourt"
    assert report.extra == {"source_system": {"name": "CaseBook", "version": 3}}


def test_minimal_report_gets_the_defaults() -> None:
    report = parse(MINIMAL)
    assert report.reported_at == date(2008, 7, 14)
    assert (report.people, report.places, report.links, report.indicators) == ([], [], [], [])
    assert report.derived_from == [] and report.extra == {}


def test_dumped_report_parses_back_to_the_same_report() -> None:
    report = parse(FULL)
    again = parse(report.model_dump(mode="json", by_alias=True))
    assert again == report


INVALID = [
    # (case, change to FULL, field, words the reason must contain)
    (
        "unknown indicator id",
        lambda r: r.update(indicators=["missing_overnite"]),
        "indicators[0].id",
        ["'missing_overnite'", "did you mean 'missing_overnight'"],
    ),
    (
        "indicator that is not text or object",
        lambda r: r.update(indicators=[7]),
        "indicators[0]",
        ["indicator id or an object", "the number 7"],
    ),
    (
        "bad reported_at",
        lambda r: r.update(reported_at="2008-13-01"),
        "reported_at",
        ["'2008-13-01' is not a date", "2008-07-14"],
    ),
    (
        "reported_at as a number",
        lambda r: r.update(reported_at=20080714),
        "reported_at",
        ["expected a date as text", "20080714"],
    ),
    (
        "bad partial date",
        lambda r: r.update(occurred_from="2008-13"),
        "occurred_from",
        ["'2008-13' is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD"],
    ),
    (
        "occurred_to before occurred_from",
        lambda r: r.update(occurred_to="2008-05"),
        "occurred_to",
        ["before occurred_from", "2008-06"],
    ),
    (
        "link to a missing ref",
        lambda r: r["links"][1].update(to="pl9"),
        "links[1].to",
        ["'pl9'", "not the ref of a person or place"],
    ),
    (
        "link from a missing ref",
        lambda r: r["links"][0].update({"from": "x1"}),
        "links[0].from",
        ["'x1'"],
    ),
    (
        "informant not in people",
        lambda r: r.update(informant="w9"),
        "informant",
        ["'w9'", "people"],
    ),
    (
        "informant is a place",
        lambda r: r.update(informant="pl1"),
        "informant",
        ["'pl1' is a place"],
    ),
    (
        "duplicate person refs",
        lambda r: r["people"][2].update(ref="c1"),
        "people[2].ref",
        ["'c1'", "people[0]", "unique"],
    ),
    (
        "place ref used by a person",
        lambda r: r["places"][0].update(ref="r1"),
        "places[0].ref",
        ["'r1'", "people[1]"],
    ),
    (
        "extra top-level key",
        lambda r: r.update(priority="high"),
        "priority",
        ["'priority' is not a field", "'extra'"],
    ),
    (
        "extra nested key",
        lambda r: r["people"][1]["vehicles"][0].update(wheels=4),
        "people[1].vehicles[0].wheels",
        ["'wheels' is not a field"],
    ),
    (
        "wrong agency",
        lambda r: r["source"].update(agency="polise"),
        "source.agency",
        ["'polise' is not a known agency", "police"],
    ),
    (
        "org with a slash",
        lambda r: r["source"].update(org="north/bridge"),
        "source.org",
        ["without '/'"],
    ),
    (
        "wrong role",
        lambda r: r["people"][0].update(role="kid"),
        "people[0].role",
        ["'kid' is not a known role", "child"],
    ),
    (
        "wrong link type",
        lambda r: r["links"][0].update(type="bought"),
        "links[0].type",
        ["'bought' is not a known link type"],
    ),
    (
        "age out of range",
        lambda r: r["people"][2].update(age=130),
        "people[2].age",
        ["at most 120", "130"],
    ),
    ("negative age", lambda r: r["people"][2].update(age=-1), "people[2].age", ["at least 0"]),
    (
        "age as text",
        lambda r: r["people"][2].update(age="44"),
        "people[2].age",
        ["expected a whole number", "'44'"],
    ),
    (
        "age and age_range together",
        lambda r: r["people"][1].update(age=45),
        "people[1].age_range",
        ["age or age_range, not both"],
    ),
    (
        "huge string",
        lambda r: r["people"][0].update(name="x" * 2_000_000),
        "people[0].name",
        ["2,000,000 characters", "1,000"],
    ),
    (
        "huge narrative",
        lambda r: r.update(narrative="y" * 100_001),
        "narrative",
        ["100,001 characters", "100,000"],
    ),
    (
        "too many aliases",
        lambda r: r["people"][0].update(aliases=["a"] * 501),
        "people[0].aliases",
        ["501 items", "500"],
    ),
    (
        "NUL byte in a name",
        lambda r: r["people"][0].update(name="Jo\x00die"),
        "people[0].name",
        ["NUL"],
    ),
    (
        "unpaired surrogate",
        lambda r: r["people"][0].update(name="Jo\ud800"),
        "people[0].name",
        ["surrogate"],
    ),
    ("id missing", lambda r: r.pop("id"), "id", ["'id' is required"]),
    ("id as a number", lambda r: r.update(id=42), "id", ["expected text", "the number 42"]),
    (
        "people not a list",
        lambda r: r.update(people={"ref": "c1"}),
        "people",
        ["expected a list", "an object"],
    ),
    (
        "sex outside the list",
        lambda r: r["people"][0].update(sex="f"),
        "people[0].sex",
        ["'f'", "'female'"],
    ),
    (
        "empty vehicle",
        lambda r: r["people"][1]["vehicles"].append({}),
        "people[1].vehicles[1]",
        ["at least one of reg"],
    ),
    (
        "plate with odd characters",
        lambda r: r["people"][1]["vehicles"][0].update(reg="MA08;X"),
        "people[1].vehicles[0].reg",
        ["? for unknown characters"],
    ),
    (
        "latitude out of range",
        lambda r: r["places"][0].update(lat=91.0),
        "places[0].lat",
        ["at most 90"],
    ),
    (
        "latitude without longitude",
        lambda r: r["places"][0].pop("lon"),
        "places[0].lon",
        ["lat and lon together"],
    ),
    (
        "place kind not a lowercase word",
        lambda r: r["places"][1].update(kind="Car Park"),
        "places[1].kind",
        ["lowercase word"],
    ),
    (
        "nested attribute value",
        lambda r: r["people"][0]["attributes"].update(notes={"a": 1}),
        "people[0].attributes.notes",
        ["text, a number or true/false", "an object"],
    ),
    (
        "identifier scheme with spaces",
        lambda r: r["people"][0]["identifiers"].update({"NHS Number": "1"}),
        'people[0].identifiers["NHS Number"]',
        ["lowercase word"],
    ),
    (
        "indicator about a place",
        lambda r: r["indicators"][1].update(about="pl1"),
        "indicators[1].about",
        ["'pl1' is a place"],
    ),
    (
        "indicator about nobody known",
        lambda r: r["indicators"][1].update(about="c7"),
        "indicators[1].about",
        ["'c7'"],
    ),
    (
        "indicator without about among two children",
        lambda r: r["people"][2].update(role="victim"),
        "indicators[0].about",
        ["'missing_overnight'", "2 children or victims", "c1, w1"],
    ),
    (
        "report derived from itself",
        lambda r: r.update(derived_from=["northbridge-council/SC/2008/0412"]),
        "derived_from[0]",
        ["derived from itself"],
    ),
    (
        "extra nested too deep",
        lambda r: r.update(extra={"a": [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}),
        "extra",
        ["nest 16 levels"],
    ),
    ("extra not an object", lambda r: r.update(extra=[1]), "extra", ["expected an object"]),
    (
        "unknown profile",
        lambda r: r.update(profile="kidnap"),
        "profile",
        ["'kidnap'", "conflict, safeguarding"],
    ),
    ("profile not text", lambda r: r.update(profile=None), "profile", ["null"]),
]


@pytest.mark.parametrize(
    ("change", "field", "words"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_report_names_the_field_and_says_why(
    change: Callable[[dict[str, Any]], object], field: str, words: list[str]
) -> None:
    err = failure(changed(FULL, change))
    assert (err.file, err.line, err.field) == ("reports.jsonl", 7, field), err.all_errors
    for word in words:
        assert word in err.reason
    assert err.reason.endswith((".", "?")) and "\n" not in err.reason
    assert len(err.reason) < 400, "a reason must not echo a hostile amount of input"
    assert isinstance(err, RecordError)
    assert err.all_errors[0]["field"] == field and err.all_errors[0]["reason"] == err.reason


@pytest.mark.parametrize(
    ("raw", "reason"),
    [([MINIMAL], "got a list of 1 items"), ("report", "got the text 'report'"), (None, "null")],
)
def test_record_that_is_not_an_object_is_refused(raw: object, reason: str) -> None:
    err = failure(raw)
    assert err.field == "(record)"
    assert "expected a report as a JSON object" in err.reason and reason in err.reason


def test_every_problem_is_kept_in_document_order() -> None:
    raw = changed(FULL, lambda r: r.update(id=1, reported_at="soon", colour="red"))
    raw["people"][0]["age"] = 200
    err = failure(raw)
    fields = [e["field"] for e in err.all_errors]
    assert fields == ["id", "reported_at", "people[0].age", "colour"]
    assert err.field == "id" and err.errors is err.all_errors
    assert err.details()["errors"] == err.all_errors


def test_every_cross_reference_problem_is_kept() -> None:
    raw = changed(FULL, lambda r: r.update(informant="nobody"))
    raw["links"][0]["to"] = "x1"
    raw["links"][2]["from"] = "x2"
    fields = [e["field"] for e in failure(raw).all_errors]
    assert fields == ["informant", "links[0].to", "links[2].from"]


@pytest.mark.parametrize(
    ("dates", "observed_at"),
    [
        ({"occurred_from": "2008-06", "occurred_to": "2008-07-12"}, "2008-07-12"),
        ({"occurred_from": "2008-06"}, "2008-06"),
        ({}, "2008-07-14"),
    ],
)
def test_indicator_observed_at_defaults_to_when_it_happened(
    dates: dict[str, str], observed_at: str
) -> None:
    raw = {**MINIMAL, **dates, "indicators": ["school_absence"]}
    assert str(parse(raw).indicators[0].observed_at) == observed_at


def test_indicator_about_defaults_to_the_one_child() -> None:
    people = [{"ref": "v1", "role": "victim"}, {"ref": "r1", "role": "recruiter"}]
    raw = {**MINIMAL, "people": people, "indicators": ["groomed_online"]}
    assert parse(raw).indicators[0].about == "v1"


def test_indicator_about_stays_empty_when_no_child_is_named() -> None:
    raw = {**MINIMAL, "people": [{"ref": "r1", "role": "recruiter"}], "indicators": ["hotel_keys"]}
    assert parse(raw).indicators[0].about is None


def test_ids_are_only_shape_checked_without_a_vocabulary() -> None:
    raw = changed(FULL, lambda r: r.update(indicators=["not_yet_in_any_profile"]))
    assert parse(raw, vocabulary=None).indicators[0].id == "not_yet_in_any_profile"
    bad = changed(FULL, lambda r: r.update(indicators=["Not An Id"]))
    assert failure(bad, vocabulary=None).field == "indicators[0].id"


def test_vocabulary_comes_from_the_context_not_the_code() -> None:
    other = StaticVocabulary(
        name="harbour",
        agencies=frozenset({"coastguard"}),
        roles=frozenset({"child"}),
        link_types=frozenset({"seen_with"}),
        indicators=frozenset({"at_sea"}),
    )
    raw = {
        **MINIMAL,
        "source": {"agency": "coastguard", "org": "harbour-watch"},
        "people": [{"ref": "c1", "role": "child"}],
        "indicators": ["at_sea"],
    }
    assert parse(raw, vocabulary=other).source.agency == "coastguard"
    err = failure(raw)
    assert err.field == "source.agency" and "safeguarding profile" in err.reason
    assert "harbour profile" in failure({**raw, "indicators": ["missing_overnight"]}, other).reason


def _indicator_ids(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {entry["id"] for entry in data["indicators"]}


# The contract's list lives in ../shared beside the project (JOINEDUP_SHARED elsewhere);
# a clean clone without it still checks against the profile shipped in the repo.
CONTRACT_YAMLS = [p for p in (SHARED / "domain/safeguarding-indicators.yaml",) if p.is_file()] or [
    PROFILE_INDICATORS
]


@pytest.mark.parametrize("path", CONTRACT_YAMLS, ids=lambda p: p.name)
def test_default_vocabulary_has_exactly_the_contract_indicators(path: Path) -> None:
    assert _indicator_ids(path) == set(VOCAB.indicators)


def test_shipped_profile_accepts_every_indicator_of_the_default_vocabulary() -> None:
    assert set(VOCAB.indicators) <= _indicator_ids(PROFILE_INDICATORS)


def test_derived_from_names_reports_in_this_org_or_another() -> None:
    assert parse(FULL).derived_from_keys() == [
        ("northbridge-council", "NC-2008-0399"),
        ("northbridge-police", "NP-2008-0001"),
    ]
    assert parse(FULL).key == ("northbridge-council", "SC/2008/0412")


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("2008", date(2008, 1, 1), date(2008, 12, 31), "year"),
        ("2008-02", date(2008, 2, 1), date(2008, 2, 29), "month"),
        ("2008-12", date(2008, 12, 1), date(2008, 12, 31), "month"),
        ("2008-07-14", date(2008, 7, 14), date(2008, 7, 14), "day"),
    ],
)
def test_partial_date_spans_the_days_it_can_mean(
    text: str, earliest: date, latest: date, precision: str
) -> None:
    value = PartialDate.parse(text)
    assert (value.earliest(), value.latest(), value.precision, str(value)) == (
        earliest,
        latest,
        precision,
        text,
    )


@pytest.mark.parametrize(
    "text", ["08", "2008-7", "2008-02-30", "2008-00", "２００８", "2008\n", ""]
)
def test_partial_date_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="use YYYY, YYYY-MM or YYYY-MM-DD"):
        PartialDate.parse(text)


@pytest.mark.parametrize("scheme", ["religion", "ethnicity", "ethnic_group", "nationality",
                                    "faith_code", "first_language"])
def test_a_protected_characteristic_is_never_an_identifier(scheme: str) -> None:
    """Identifiers are blocked on and compared in resolution: a protected value given as one
    would be scored (two people of one faith "an identifier in common")."""
    person = {"ref": "p1", "role": "child", "identifiers": {scheme: "recorded-value"}}
    err = failure({**MINIMAL, "people": [person]})
    assert any("never an identifier" in e["reason"] for e in err.all_errors), err.all_errors


def test_an_ordinary_identifier_is_kept() -> None:
    person = {"ref": "p1", "role": "child",
              "identifiers": {"council_child_id": "RC-1042", "nhs_number": "9434765919"}}
    report = parse({**MINIMAL, "people": [person]})
    assert report.people[0].identifiers == person["identifiers"]
