"""resolution index: blocking keys and resolved features of every mention

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "block_key",
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("mention", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention"], ["mention.pk"], name=op.f("fk_block_key_mention_mention")
        ),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_block_key_partnership_partnership")
        ),
    )
    op.create_index(op.f("ix_block_key_partnership_key"), "block_key", ["partnership", "key"])
    op.create_table(
        "resolved",
        sa.Column("mention", sa.Integer(), nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention"], ["mention.pk"], name=op.f("fk_resolved_mention_mention")
        ),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_resolved_partnership_partnership")
        ),
        sa.PrimaryKeyConstraint("mention", name=op.f("pk_resolved")),
    )


def downgrade() -> None:
    op.drop_table("resolved")
    op.drop_index(op.f("ix_block_key_partnership_key"), table_name="block_key")
    op.drop_table("block_key")
