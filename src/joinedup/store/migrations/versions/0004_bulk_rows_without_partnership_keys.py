"""bulk tables without per-row foreign keys

A report keeps its foreign keys (partnership, import batch); the rows written by the hundred
thousand beside it (its mentions, links and observations) and the tables every resolution run
rewrites whole (entities, memberships, merge evidence, the resolution index, corroboration) name
their partnership, report and mentions as plain columns. On PostgreSQL each foreign key is a
check per row: copying 1.1M index rows took 4.3 s with the partnership key and 0.4 s without, and
at 1M reports these tables hold about 25M rows (see tables.BULK; Store.orphans checks them).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = (
    "mention",
    "link",
    "observation",
    "entity",
    "mention_entity",
    "merge_edge",
    "block_key",
    "resolved",
    "corroboration",
)


# the structural keys of a report's own rows: (table, column, referred table)
STRUCTURAL = (
    ("mention", "report", "report"),
    ("link", "report", "report"),
    ("link", "src", "mention"),
    ("link", "dst", "mention"),
    ("observation", "report", "report"),
    ("observation", "mention", "mention"),
)


def _keys(table: str) -> list[tuple[str, str, str]]:
    """(name, column, referred table) of the keys this migration drops from ``table``."""
    out = [(f"fk_{table}_partnership_partnership", "partnership", "partnership")]
    out += [(f"fk_{t}_{c}_{r}", c, r) for t, c, r in STRUCTURAL if t == table]
    return out


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:  # SQLite rebuilds the table
            for name, _, _ in _keys(table):
                batch.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for name, column, referred in _keys(table):
                key = "id" if referred == "partnership" else "pk"
                batch.create_foreign_key(name, referred, [column], [key])
