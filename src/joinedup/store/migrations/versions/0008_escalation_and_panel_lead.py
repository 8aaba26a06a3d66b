"""escalations to a named panel lead

A partnership names its panel lead; an alert left without a decision past its deadline, or an
action past its due date, is escalated to that lead once, and the escalation is kept. An
account's agency is the organisation its reports are in the name of (``source.org``), so it
takes the length an organisation's name may have.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partnership") as batch:
        batch.add_column(sa.Column("panel_lead", sa.String(200)))
    with op.batch_alter_table("account") as batch:
        batch.alter_column("agency", type_=sa.String(300), existing_type=sa.String(60))
    op.create_table(
        "escalation",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("alert", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("due", sa.String(40), nullable=False),
        sa.Column("lead", sa.String(200), nullable=False),
        sa.Column("escalated_by", sa.String(200), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name="fk_escalation_partnership_partnership"
        ),
        sa.ForeignKeyConstraint(["alert"], ["alert.id"], name="fk_escalation_alert_alert"),
        sa.PrimaryKeyConstraint("pk", name="pk_escalation"),
        sa.UniqueConstraint("partnership", "alert", "reason", "due",
                            name="uq_escalation_partnership_alert_reason_due"),
    )


def downgrade() -> None:
    op.drop_table("escalation")
    with op.batch_alter_table("account") as batch:
        batch.alter_column("agency", type_=sa.String(60), existing_type=sa.String(300))
    with op.batch_alter_table("partnership") as batch:
        batch.drop_column("panel_lead")
