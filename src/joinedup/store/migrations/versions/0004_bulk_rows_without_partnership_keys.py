"""bulk tables carry their partnership without a foreign key

A report's partnership stays a foreign key; the rows written by the hundred thousand beside it
(its mentions, links and observations) and the tables every resolution run rewrites whole
(entities, memberships, merge evidence, the resolution index, corroboration) keep
``partnership`` as a plain, indexed-where-read column. On PostgreSQL each foreign key is a check
per row: copying 1.1M index rows took 4.3 s with the partnership key and 0.4 s without, and at
1M reports these tables hold about 25M rows (see tables.BULK).

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


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:  # SQLite rebuilds the table
            batch.drop_constraint(f"fk_{table}_partnership_partnership", type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(
                f"fk_{table}_partnership_partnership", "partnership", ["partnership"], ["id"]
            )
