"""index the unconfirmed reports: every incremental run asks which they are

``report.unconfirmed`` (0011) is null for nearly every report, and each ``joinedup ingest`` of
a few reports asked for the non-null ones with a scan of the whole table: 0.43 s of the 0.49 s
that adding one report to a 1M-report SQLite store took. A partial index holds only the
unconfirmed ones.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

WHERE = sa.text("unconfirmed IS NOT NULL")


def upgrade() -> None:
    op.create_index("ix_report_partnership_unconfirmed", "report", ["partnership", "unconfirmed"],
                    sqlite_where=WHERE, postgresql_where=WHERE)


def downgrade() -> None:
    op.drop_index("ix_report_partnership_unconfirmed", table_name="report")
