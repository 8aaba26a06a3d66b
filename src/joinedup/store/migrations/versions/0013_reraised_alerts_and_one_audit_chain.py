"""alerts raised again await a new decision; the audit log refuses a fork

``alert.reraised_at`` and ``alert.reraised_after``: a withdrawn alert that the engine raises
again over a decision starts again. The decisions up to ``reraised_after`` (a decision's key)
are its history, and it awaits a new one, due by the clock that starts at ``reraised_at``.
Before, it came back with its old decisions, and one closed before was shown closed.

A unique index on ``audit.prev_hash``: the log is one chain for the whole database, so no two
entries may follow one entry. Writers take turns (``Store._hold_audit_chain``); the index makes
the database refuse a fork whoever writes. A store whose log already forks cannot take it, and
the migration stops, naming the entries, before anything is changed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from joinedup.store.store import AuditForked

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _refuse_a_fork()
    with op.batch_alter_table("alert") as batch:
        batch.add_column(sa.Column("reraised_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("reraised_after", sa.Integer()))
    op.create_index("ix_audit_prev_hash", "audit", ["prev_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_audit_prev_hash", table_name="audit")
    with op.batch_alter_table("alert") as batch:
        batch.drop_column("reraised_after")
        batch.drop_column("reraised_at")


def _refuse_a_fork() -> None:
    """Stop with what to do, not the database's bare refusal, when two entries follow one."""
    fork = op.get_bind().execute(sa.text(
        "SELECT prev_hash, min(seq) AS first, max(seq) AS last, count(*) AS n FROM audit "
        "GROUP BY prev_hash HAVING count(*) > 1 ORDER BY min(seq) LIMIT 1"
    )).first()
    if fork is None:
        return
    raise AuditForked(
        f"the audit log forks: {fork.n} entries (the first {fork.first}, the last "
        f"{fork.last}) follow one entry, so migration 0013, which makes the store refuse a "
        "fork, was not applied and nothing was changed",
        hint="run `joinedup audit verify`: it names the first entry that does not follow the "
        "one before it. A fork was left by two writers appending at once (before writers took "
        "turns), or by an entry added to the log by hand. Keep a copy of this store as it is "
        "(the log is evidence: never edit it), then restore the store from a backup taken "
        "before that entry, or import its reports into a new store and keep this one as the "
        "record of what was decided and who saw what",
    )
