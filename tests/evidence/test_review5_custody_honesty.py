"""Review 5: the chain of custody says only what is so. A copy the store keeps is checked
against the hash it is logged under, a link planted in the evidence folder is refused, and a
copy replaced by a link is not counted as held."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from joinedup.errors import InputError
from joinedup.evidence import collect, register_cited, verify
from joinedup.ingest.importer import import_file
from joinedup.store import Store
from tests.evidence.test_custody import PHOTO, report_citing

DIGEST = hashlib.sha256(PHOTO).hexdigest()


@pytest.fixture
def cited(sqlite_store: Store, tmp_path: Path) -> tuple[Store, Path]:
    photo = tmp_path / "roof.png"
    photo.write_bytes(PHOTO)
    path = tmp_path / "reports.jsonl"
    path.write_text(json.dumps(report_citing(DIGEST)) + "\n")
    assert import_file(sqlite_store, path).accepted == 1
    register_cited(sqlite_store)
    return sqlite_store, photo


def _actions(store: Store) -> list[str]:
    [item] = store.evidence_items(("sarc", "sarc-1"))
    return [c["action"] for c in item["custody"]]


def test_a_kept_copy_that_does_not_hash_to_the_logged_hash_is_refused(
    cited: tuple[Store, Path], tmp_path: Path
) -> None:
    # the folder already holds a "copy" under the photo's hash that is something else (swapped
    # or damaged): collecting must not log "copied" as if the store held the photo
    store, photo = cited
    kept = tmp_path / "kept"
    home = kept / DIGEST[:2]
    home.mkdir(parents=True)
    (home / DIGEST).write_bytes(b"not the photo")
    with pytest.raises(InputError, match="does not hash to"):
        collect(store, ("sarc", "sarc-1"), photo, kept)
    assert _actions(store) == ["collected"]  # nothing logged as hashed or copied
    assert (home / DIGEST).read_bytes() == b"not the photo"  # left for an investigator


def test_a_file_that_changes_while_it_is_kept_is_refused(
    cited: tuple[Store, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hashed, then changed before the copy is made (a file still being written): the copies
    # are not what the custody log would say they are
    store, photo = cited
    copy = shutil.copyfile

    def changed_meanwhile(src: Path, dst: Path) -> object:
        Path(src).write_bytes(PHOTO + b" edited")
        return copy(src, dst)

    monkeypatch.setattr("joinedup.evidence.shutil.copyfile", changed_meanwhile)
    kept = tmp_path / "kept"
    with pytest.raises(InputError, match="does not hash to"):
        collect(store, ("sarc", "sarc-1"), photo, kept)
    assert _actions(store) == ["collected"]
    assert not any(p.is_file() for p in kept.rglob("*"))  # the bad copies are not kept


def test_a_link_planted_in_the_evidence_folder_is_refused(
    cited: tuple[Store, Path], tmp_path: Path
) -> None:
    # a dangling link where the original will go would make the copy write through it,
    # anywhere, and make that file read-only
    store, photo = cited
    kept = tmp_path / "kept"
    home = kept / DIGEST[:2]
    home.mkdir(parents=True)
    target = tmp_path / "elsewhere.txt"
    (home / DIGEST).symlink_to(target)
    with pytest.raises(InputError, match="link"):
        collect(store, ("sarc", "sarc-1"), photo, kept)
    assert not target.exists()
    assert _actions(store) == ["collected"]


def test_a_copy_replaced_by_a_link_is_not_held(cited: tuple[Store, Path], tmp_path: Path) -> None:
    # the working copy swapped for a link to a file outside the store's keeping: the bytes
    # match today, but the store no longer holds them
    store, photo = cited
    held = collect(store, ("sarc", "sarc-1"), photo, tmp_path / "kept")
    outside = tmp_path / "outside.png"
    outside.write_bytes(PHOTO)
    held.working.unlink()
    held.working.symlink_to(outside)
    [result] = verify(store)
    assert not result["ok"] and result["working"] is None
    assert _actions(store)[-1] == "failed"


def test_collecting_again_checks_the_copies_already_kept(
    cited: tuple[Store, Path], tmp_path: Path
) -> None:
    store, photo = cited
    kept = tmp_path / "kept"
    held = collect(store, ("sarc", "sarc-1"), photo, kept)
    os.chmod(held.working, stat.S_IRUSR | stat.S_IWUSR)
    held.working.write_bytes(PHOTO + b" edited")
    with pytest.raises(InputError, match="does not hash to"):
        collect(store, ("sarc", "sarc-1"), photo, kept)
    # and an honest second collect of untouched copies still works
    held.working.write_bytes(PHOTO)
    again = collect(store, ("sarc", "sarc-1"), photo, kept)
    assert again.original == held.original and again.sha256 == DIGEST
