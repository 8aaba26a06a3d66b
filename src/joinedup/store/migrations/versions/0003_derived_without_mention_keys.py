"""derived resolution tables name mentions without a foreign key

mention_entity, merge_edge, block_key and resolved are rewritten whole by every full resolution
run from the mentions it has just read; on PostgreSQL the per-row foreign-key check of a
million index rows and memberships was 15 s of a 100k-report run (see tables.DERIVED).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

KEYS = (
    ("mention_entity", "fk_mention_entity_mention_mention", ["mention"]),
    ("merge_edge", "fk_merge_edge_a_mention", ["a"]),
    ("merge_edge", "fk_merge_edge_b_mention", ["b"]),
    ("block_key", "fk_block_key_mention_mention", ["mention"]),
    ("resolved", "fk_resolved_mention_mention", ["mention"]),
)


def upgrade() -> None:
    for table, name, _ in KEYS:
        with op.batch_alter_table(table) as batch:  # SQLite rebuilds the table
            batch.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table, name, cols in KEYS:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(name, "mention", cols, ["pk"])
