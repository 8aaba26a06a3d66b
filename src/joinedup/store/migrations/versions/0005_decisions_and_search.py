"""panel decisions on alerts, and the search index

``decision`` holds what the panel decided on an alert, append-only. ``search_doc`` holds one
searchable text per report; the full-text index over it is dialect-specific and not in the
SQLAlchemy metadata: an FTS5 table reading its text from ``search_doc`` on SQLite, a GIN
expression index on PostgreSQL (tables.SEARCH_OBJECTS).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("alert", sa.String(64), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("closes", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date()),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name="fk_decision_partnership_partnership"
        ),
        sa.ForeignKeyConstraint(["alert"], ["alert.id"], name="fk_decision_alert_alert"),
        sa.PrimaryKeyConstraint("pk", name="pk_decision"),
    )
    op.create_index("ix_decision_partnership_alert", "decision", ["partnership", "alert"])
    op.create_table(
        "search_doc",
        sa.Column("report", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("report", name="pk_search_doc"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "body, content='search_doc', content_rowid='report', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE INDEX ix_search_doc_fts ON search_doc "
            "USING gin (to_tsvector('simple', body))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP INDEX ix_search_doc_fts")
    op.drop_table("search_doc")
    op.drop_index("ix_decision_partnership_alert", table_name="decision")
    op.drop_table("decision")
