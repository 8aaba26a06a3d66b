"""A ``JOINEDUP_SECRET`` too short to keep sessions from being forged is refused at start, with
how to make one.

Failed before the fix: any secret was taken, one character included, and whoever guessed it
could sign a session cookie naming any account.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from joinedup.cli.app import app as cli
from joinedup.errors import InputError
from joinedup.web.app import MIN_SECRET, create_app

HINT = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


@pytest.mark.parametrize("secret", ["q!", "changeme", "s" * (MIN_SECRET - 1)])
def test_a_short_secret_is_refused_with_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("JOINEDUP_SECRET", secret)
    with pytest.raises(InputError) as refused:
        create_app(f"sqlite:///{tmp_path / 'store.db'}")
    assert "at least 32" in refused.value.message and secret not in refused.value.message
    assert HINT in refused.value.hint
    assert not (tmp_path / "store.db").exists()  # refused before anything is done
    for taken in ("s" * MIN_SECRET, ""):  # unset: a random key of the process's own
        monkeypatch.setenv("JOINEDUP_SECRET", taken)
        app = create_app(f"sqlite:///{tmp_path / 'store.db'}")
        app.state.ctx.engine.dispose()


def test_serve_refuses_a_short_secret_and_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(app))
    monkeypatch.setenv("JOINEDUP_SECRET", "hunter2")
    done = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "store.db")])
    assert done.exit_code == 2 and served == []
    assert "JOINEDUP_SECRET" in done.output and HINT in done.output
