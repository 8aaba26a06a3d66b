"""Resolution behaviour through the whole pipeline: what merges, what must not, and why."""

from __future__ import annotations

from pathlib import Path

from joinedup.cli.render import entities_json
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from tests.factories import adult, child, report, write_jsonl

TAKEAWAY = {"ref": "t", "name": "Sunrise Kebabs", "kind": "takeaway", "postcode": "OL16 1AA"}


def _people(store: Store, tmp_path: Path, reports: list[dict]) -> list[dict]:
    import_file(store, write_jsonl(tmp_path / "in.jsonl", reports))
    process(store)
    return [e for e in entities_json(store, "person")]


def _holding(people: list[dict], alias: str) -> list[dict]:
    return [p for p in people if alias in p["aliases"]]


def test_nickname_plus_a_shared_place_is_one_person(store: Store, tmp_path: Path) -> None:
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[child("c1", "Amy"), adult("x", "Tiger")], places=[dict(TAKEAWAY)]),
            report(
                "b",
                org="Clinic",
                agency="health",
                reported_at="2008-02-01",
                people=[child("c2", "Beth"), adult("x", "the Tiger")],
                places=[dict(TAKEAWAY)],
            ),
        ],
    )
    tiger = _holding(people, "tiger")
    assert len(tiger) == 1 and len(tiger[0]["mentions"]) == 2


def test_a_common_nickname_alone_does_not_fuse_strangers(store: Store, tmp_path: Path) -> None:
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[child("c1", "Amy"), adult("x", "K")], places=[dict(TAKEAWAY)]),
            report(
                "b",
                org="Other Town Police",
                reported_at="2008-02-01",
                people=[child("c2", "Zoe"), adult("x", "K")],
                places=[
                    {
                        "ref": "p",
                        "name": "Bridge Street Park",
                        "kind": "park",
                        "postcode": "BD7 1AA",
                    }
                ],
            ),
        ],
    )
    assert len(_holding(people, "kay")) == 2  # "K" is keyed as it is said


def test_two_people_named_in_one_report_are_never_merged(store: Store, tmp_path: Path) -> None:
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[child("c1", "Amy"), adult("x", "Tiger"), adult("y", "Tiger")]),
        ],
    )
    assert len(_holding(people, "tiger")) == 2


def test_every_merge_keeps_its_weight_and_reasons(store: Store, tmp_path: Path) -> None:
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[child("c1", "Amy"), adult("x", "Tiger")], places=[dict(TAKEAWAY)]),
            report(
                "b",
                org="Clinic",
                agency="health",
                reported_at="2008-02-01",
                people=[child("c2", "Beth"), adult("x", "Tiger")],
                places=[dict(TAKEAWAY)],
            ),
        ],
    )
    tiger = _holding(people, "tiger")[0]
    edges = store.merge_edges(tiger["id"])
    assert len(edges) == 1
    reasons = {r["comparison"]: r["level"] for r in edges[0]["reasons"]}
    assert reasons["alias"] == "a nickname in common"
    assert reasons["context"] == "a linked person or place in common"
    assert edges[0]["weight"] > 0


def test_an_analysts_split_sticks_on_re_resolution(store: Store, tmp_path: Path) -> None:
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[child("c1", "Amy"), adult("x", "Tiger")], places=[dict(TAKEAWAY)]),
            report(
                "b",
                org="Clinic",
                agency="health",
                reported_at="2008-02-01",
                people=[child("c2", "Beth"), adult("x", "Tiger")],
                places=[dict(TAKEAWAY)],
            ),
        ],
    )
    tiger = _holding(people, "tiger")[0]
    edge = store.merge_edges(tiger["id"])[0]
    store.add_pair_decision(edge["a"], edge["b"], "split", "different men, per police")
    process(store)
    assert len(_holding(entities_json(store, "person"), "tiger")) == 2


def test_an_analysts_confirm_sticks_on_re_resolution(store: Store, tmp_path: Path) -> None:
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[child("c1", "Amy"), adult("x", "Smiler")]),
            report(
                "b",
                org="Other Police",
                reported_at="2008-02-01",
                people=[child("c2", "Zoe"), adult("x", "Smiley")],
            ),
        ],
    )
    assert len({p["id"] for p in people if p["aliases"]}) == 2
    rows = [m for m in store.current_mentions() if m["kind"] == "person" and m["ref"] == "x"]
    store.add_pair_decision(rows[0]["pk"], rows[1]["pk"], "confirm", "same phone per police")
    process(store)
    assert len({p["id"] for p in entities_json(store, "person") if p["aliases"]}) == 1


def test_entity_ids_are_stable_when_unrelated_reports_arrive(store: Store, tmp_path: Path) -> None:
    first = [
        report("a", people=[child("c1", "Amy"), adult("x", "Tiger")], places=[dict(TAKEAWAY)]),
        report(
            "b",
            org="Clinic",
            agency="health",
            reported_at="2008-02-01",
            people=[child("c2", "Beth"), adult("x", "Tiger")],
            places=[dict(TAKEAWAY)],
        ),
    ]
    before = _holding(_people(store, tmp_path, first), "tiger")[0]["id"]
    import_file(
        store,
        write_jsonl(
            tmp_path / "more.jsonl",
            [report("z", org="School", agency="education", people=[child("c9", "Nia", 12)])],
        ),
    )
    process(store)
    assert _holding(entities_json(store, "person"), "tiger")[0]["id"] == before


def test_a_changed_surname_joins_when_date_of_birth_and_identifier_agree(
    store: Store, tmp_path: Path
) -> None:
    """As in FEBRL's records: a surname changes (marriage, a typo beyond repair) while the
    first name, the date of birth and an identifier stay; nobody else shares them."""
    def witness(ref: str, name: str, address: str) -> dict:
        return {"ref": ref, "role": "witness", "name": name, "dob": "1975-12-20",
                "identifiers": {"soc_sec_id": "1835068"}, "addresses": [address]}

    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[witness("w", "Lydia McCarthy", "6 Mill Lane, Corio")]),
            report("b", org="Council", agency="social_care",
                   people=[witness("w", "Lydia Doosey", "41 Northbourne Avenue, Geelong")]),
        ],
    )
    assert len(people) == 1 and len(people[0]["mentions"]) == 2


def _taxi_reports(second_driver: dict) -> list[dict]:
    return [
        report("a", people=[child("c1", "Amy"), adult(
            "x", "Tiger", phones=["07700 900123"],
            vehicles=[{"reg": "ME56 HMD", "make": "Toyota Prius", "kind": "taxi"}])]),
        report("b", org="Clinic", agency="health", reported_at="2008-02-01",
               people=[child("c2", "Beth"), second_driver]),
    ]


def test_a_short_partial_plate_joins_the_car_its_driver_is_known_to_drive(
    store: Store, tmp_path: Path
) -> None:
    same = adult("x", "Tiger", phones=["07700 900123"],
                 vehicles=[{"reg": "ME56", "make": "Toyota Prius", "kind": "taxi"}])
    import_file(store, write_jsonl(tmp_path / "in.jsonl", _taxi_reports(same)))
    process(store)
    vehicles = entities_json(store, "vehicle")
    assert len(vehicles) == 1 and len(vehicles[0]["mentions"]) == 2


def test_a_short_partial_plate_alone_joins_nothing(store: Store, tmp_path: Path) -> None:
    other = adult("y", "Smiler", phones=["07700 900999"],
                  vehicles=[{"reg": "ME56", "make": "Toyota Prius", "kind": "taxi"}])
    import_file(store, write_jsonl(tmp_path / "in.jsonl", _taxi_reports(other)))
    process(store)
    assert len(entities_json(store, "vehicle")) == 2


def test_two_fragments_of_one_man_join_on_a_pair_agreeing_on_two_identifying_things(
    store: Store, tmp_path: Path
) -> None:
    # "Jay" with Amy in four reports and with Zoe in two: the cross pairs share a common
    # nickname and nothing in their networks, so average linkage alone keeps the fragments
    # apart; one pair shares the nickname and a phone, two identifying things: not one weak link
    park = {"ref": "p", "name": "Bridge Street Park", "kind": "park", "postcode": "BD7 1AA"}
    phone = "07700 900123"
    reports = [
        report(f"a{i}", reported_at=f"2008-01-1{i}", places=[dict(TAKEAWAY)],
               people=[child("c1", "Amy"), adult("x", "Jay", **({"phones": [phone]} if i == 1
                                                                 else {}))])
        for i in range(1, 5)
    ] + [
        report(f"b{i}", org="Clinic", agency="health", reported_at=f"2008-03-1{i}",
               places=[dict(park)],
               people=[child("c1", "Zoe", age=13), adult("x", "Jay", **({"phones": [phone]}
                                                                          if i == 1 else {}))])
        for i in range(1, 3)
    ]
    jay = _holding(_people(store, tmp_path, reports), "jay")
    assert len(jay) == 1 and len(jay[0]["mentions"]) == 6


def test_a_record_with_its_first_name_replaced_and_its_identifier_mistyped_joins(
    store: Store, tmp_path: Path
) -> None:
    """As in FEBRL's noisy records: the first name replaced outright and two digits of the
    identifier swapped, while the surname, the date of birth and the address agree. "Different
    names" was -8.9 bits when its m came from generated data alone (one person's names almost
    never differ there) and a swap of two digits was a different identifier (-6.8 bits)."""
    home = "11 Copland Drive, Birmingham Gardens 4350"
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[_one("witness", "Jayden Hingston", "1917-11-20",
                                     {"soc_sec_id": "6243938"}, home)]),
            report("b", org="Council", agency="social_care",
                   people=[_one("witness", "Douglas Hingston", "1917-11-20",
                                {"soc_sec_id": "6249338"}, home)]),
        ],
    )
    assert len(people) == 1 and len(people[0]["mentions"]) == 2


def test_a_different_first_name_and_identifier_outweigh_a_shared_surname_and_birthday(
    store: Store, tmp_path: Path
) -> None:
    """What the FEBRL-taught noise levels must not do: a surname and a date of birth in common,
    but different first names and different identifiers of one scheme, are two people."""
    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[_one("witness", "Jack Smith", "1990-01-01",
                                     {"soc_sec_id": "5512345"})]),
            report("b", org="Council", agency="social_care",
                   people=[_one("witness", "Oliver Smith", "1990-01-01",
                                {"soc_sec_id": "9087654"})]),
        ],
    )
    assert len(people) == 2


def test_twins_at_one_address_stay_two_children(store: Store, tmp_path: Path) -> None:
    """Twin sisters share a surname, a date of birth and an address: three identifying things
    in common, so the cluster checks are lenient. Different first names and different NHS
    numbers (more than a typo apart) still say two children; merged, a man linked to both
    would look linked to one."""

    def child(name: str, nhs: str) -> dict:
        home = "14 Mill Lane, Marsden Vale MV3 2QT"
        return _one("child", name, "2009-03-14", {"nhs_number": nhs}, home, sex="female")

    people = _people(
        store,
        tmp_path,
        [
            report("a", people=[child("Amira Okafor", "4857773456")]),
            report("b", org="Council", agency="social_care",
                   people=[child("Layla Okafor", "9434765919")]),
            report("c", org="School", agency="education",
                   people=[child("Amira Okafor", "4857773465")]),  # digits swapped
        ],
    )
    assert sorted(len(p["mentions"]) for p in people) == [1, 2]


def _one(
    role: str, name: str, dob: str, ids: dict[str, str], address: str | None = None,
    sex: str | None = None,
) -> dict:
    """The one person of a one-person report (ref "p")."""
    person = {"ref": "p", "role": role, "name": name, "dob": dob, "identifiers": ids}
    if address:
        person["addresses"] = [address]
    if sex:
        person["sex"] = sex
    return person


def test_a_mention_named_only_with_people_no_other_report_names_is_lone(
    store: Store, tmp_path: Path
) -> None:
    """``lone`` picks the weaker "nothing in common" level: such a mention's network could not
    have overlapped another's yet."""
    from joinedup.pipeline import person_model
    from joinedup.profiles import load_profile
    from joinedup.resolve.resolver import Resolver

    takeaway = [dict(TAKEAWAY)]
    reports = [
        report("a", people=[child("c1", "Amy Hill"), adult("x", "Tiger")], places=takeaway),
        report("b", org="Clinic", agency="health", reported_at="2008-02-01",
               people=[child("c1", "Amy Hill"), adult("x", "Tiger")], places=takeaway),
        report("c", org="School", agency="education", reported_at="2008-03-01",
               people=[child("c1", "Zoe Park"), adult("x", "Quill")]),
    ]
    import_file(store, write_jsonl(tmp_path / "in.jsonl", reports))
    mentions = store.current_mentions()
    resolver = Resolver(person_model(store, load_profile("safeguarding")))
    resolver.run(mentions, store.current_links())
    lone = {
        (m["report"], m["ref"]): resolver.person_features[m["pk"]]["lone"]
        for m in mentions
        if m["kind"] == "person"
    }
    by_report = {r["pk"]: r["report_id"] for r in store.current_reports()}
    got = {(by_report[r], ref): flag for (r, ref), flag in lone.items()}
    # Amy and Tiger (and the takeaway) are named by two reports; Zoe and Quill only in "c"
    assert got == {("a", "c1"): False, ("a", "x"): False, ("b", "c1"): False,
                   ("b", "x"): False, ("c", "c1"): True, ("c", "x"): True}
