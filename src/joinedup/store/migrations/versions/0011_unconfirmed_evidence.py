"""unconfirmed evidence: reports counted from proposals no person has applied

Where a profile lets unconfirmed proposals count as weak evidence (``unconfirmed_proposals:
weak``), a narrative-only report's mentions, links and observations are made from what its
proposals make before anyone has reviewed them. ``report.unconfirmed`` marks such a report
(the SHA-256 of the fields its proposals made; null for a report whose rows are its own
fields) and ``alert.unconfirmed`` lists the evidence of an alert that is such a report.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("unconfirmed", sa.String(64)))
    with op.batch_alter_table("alert") as batch:
        batch.add_column(sa.Column("unconfirmed", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("alert") as batch:
        batch.drop_column("unconfirmed")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("unconfirmed")
