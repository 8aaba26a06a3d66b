"""``joinedup db``: the database itself, beside the store's contents.

``cli/app.py`` imports this module to add it to the CLI, so this one takes the CLI's error and
output helpers from there only when a command runs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from joinedup.errors import JoinedupError
from joinedup.store import default_url, make_engine

db_app = typer.Typer(help="The database itself: roles for the application.", no_args_is_help=True)

OwnerDbOption = Annotated[
    str,
    typer.Option(
        "--db", envvar="JOINEDUP_DB",
        help="Store URL (PostgreSQL), connected as the owner of the store's tables.",
    ),
]


@db_app.command("app-role")
def app_role(
    name: Annotated[str, typer.Argument(help="The role the application will connect as")],
    login: Annotated[bool, typer.Option("--login", help="The role may log in")] = False,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Set the role's password, read from standard input")] = False,
    db: OwnerDbOption = "",
) -> None:
    """PostgreSQL: a role for the application that cannot change the audit log.

    Creates the role if it is missing. It may read and write the store's tables, and only read
    and append to the audit log; not owning the tables, it cannot drop the trigger either. Run
    it as the owner of the tables (the role that ran `joinedup init`), and again after every
    migration.
    """
    from joinedup.cli.app import _fail, out
    from joinedup.store.roles import grant_app_role

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        engine = make_engine(db or default_url())
        try:
            statements = grant_app_role(engine, name, login=login, password=password)
        finally:
            engine.dispose()
    except JoinedupError as err:
        _fail(err)
    for statement in statements:
        out.print(f"{statement};", markup=False)
    out.print(f"role {name} may read and write the store, and only read and append to its audit"
              " log", markup=False)
    if not login:
        out.print(f"it cannot log in: add --login, or grant {name} to a role that can",
                  markup=False)
    url = engine.url.set(username=name, password=None).render_as_string(hide_password=True)
    out.print(f"next: run joinedup (and joinedup serve) as {name}: --db '{url}'", markup=False)
