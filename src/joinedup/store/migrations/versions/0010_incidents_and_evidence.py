"""incidents, analysts' incident decisions, evidence items and their chain of custody

The conflict profile joins its reports up into incidents: ``incident`` (grades, dates, place,
mechanism and what is read whole), ``incident_member`` (each current report's incident) and
``incident_edge`` (why two reports were merged, or might have been), all rewritten whole by each
run; ``incident_decision`` (an analyst's same/different on two reports, by org and id, kept);
``evidence_item`` (a report's photos, videos, images and documents with their SHA-256) and
``custody`` (each item's chain of custody).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("attribution", sa.String(20), nullable=False),
        sa.Column("date_start", sa.Date()),
        sa.Column("date_end", sa.Date()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("precision", sa.String(20)),
        sa.Column("mechanism", sa.String(40)),
        sa.Column("targets", sa.Text(), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("killed_min", sa.Integer()),
        sa.Column("killed_max", sa.Integer()),
        sa.Column("injured_min", sa.Integer()),
        sa.Column("injured_max", sa.Integer()),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("source_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incident"),
    )
    op.create_index(
        "ix_incident_partnership_date_start", "incident", ["partnership", "date_start"]
    )
    op.create_table(
        "incident_member",
        sa.Column("report", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("incident", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("report", name="pk_incident_member"),
    )
    op.create_index("ix_incident_member_incident", "incident_member", ["incident"])
    op.create_table(
        "incident_edge",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("a", sa.Integer(), nullable=False),
        sa.Column("b", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_incident_edge"),
    )
    op.create_index("ix_incident_edge_a", "incident_edge", ["a"])
    op.create_index("ix_incident_edge_b", "incident_edge", ["b"])
    op.create_table(
        "incident_decision",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("a_org", sa.String(300), nullable=False),
        sa.Column("a_id", sa.String(300), nullable=False),
        sa.Column("b_org", sa.String(300), nullable=False),
        sa.Column("b_id", sa.String(300), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"],
            name="fk_incident_decision_partnership_partnership",
        ),
        sa.PrimaryKeyConstraint("pk", name="pk_incident_decision"),
    )
    op.create_table(
        "evidence_item",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("report", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("url", sa.Text()),
        sa.Column("path", sa.Text()),
        sa.Column("original", sa.Text()),
        sa.Column("working", sa.Text()),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name="fk_evidence_item_partnership_partnership"
        ),
        sa.ForeignKeyConstraint(["report"], ["report.pk"], name="fk_evidence_item_report_report"),
        sa.PrimaryKeyConstraint("pk", name="pk_evidence_item"),
    )
    op.create_index("ix_evidence_item_report", "evidence_item", ["report"])
    op.create_index("ix_evidence_item_sha256", "evidence_item", ["sha256"])
    op.create_table(
        "custody",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("evidence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name="fk_custody_partnership_partnership"
        ),
        sa.ForeignKeyConstraint(
            ["evidence"], ["evidence_item.pk"], name="fk_custody_evidence_evidence_item"
        ),
        sa.PrimaryKeyConstraint("pk", name="pk_custody"),
    )
    op.create_index("ix_custody_evidence", "custody", ["evidence"])


def downgrade() -> None:
    op.drop_index("ix_custody_evidence", table_name="custody")
    op.drop_table("custody")
    op.drop_index("ix_evidence_item_sha256", table_name="evidence_item")
    op.drop_index("ix_evidence_item_report", table_name="evidence_item")
    op.drop_table("evidence_item")
    op.drop_table("incident_decision")
    op.drop_index("ix_incident_edge_b", table_name="incident_edge")
    op.drop_index("ix_incident_edge_a", table_name="incident_edge")
    op.drop_table("incident_edge")
    op.drop_index("ix_incident_member_incident", table_name="incident_member")
    op.drop_table("incident_member")
    op.drop_index("ix_incident_partnership_date_start", table_name="incident")
    op.drop_table("incident")
