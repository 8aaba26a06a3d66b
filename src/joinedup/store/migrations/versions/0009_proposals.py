"""proposals read from narratives, for a person to confirm

What the extract stage reads in a report's narrative (a person, a nickname, a place, a vehicle,
a phone, a date, a link, a warning sign), with its character span, normalised value, role,
confidence and the rule that proposed it; and what a person made of it: proposed, accepted,
edited (with the value they gave) or rejected, by whom and when.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposal",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("report", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("role", sa.String(40)),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("attrs", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("edited_value", sa.Text()),
        sa.Column("reviewed_by", sa.String(200)),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name="fk_proposal_partnership_partnership"
        ),
        sa.ForeignKeyConstraint(["report"], ["report.pk"], name="fk_proposal_report_report"),
        sa.PrimaryKeyConstraint("pk", name="pk_proposal"),
    )
    op.create_index("ix_proposal_report", "proposal", ["report"])


def downgrade() -> None:
    op.drop_index("ix_proposal_report", table_name="proposal")
    op.drop_table("proposal")
