"""initial store

Revision ID: 0001
Revises:
Create Date: 2026-11-27 17:49:34.156470
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit")),
    )
    op.create_table(
        "partnership",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership")),
    )
    op.create_table(
        "corroboration",
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("informants", sa.Integer(), nullable=False),
        sa.Column("agencies", sa.JSON(), nullable=False),
        sa.Column("children", sa.JSON(), nullable=False),
        sa.Column("first_at", sa.DateTime(), nullable=True),
        sa.Column("last_at", sa.DateTime(), nullable=True),
        sa.Column("reports", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"],
            ["partnership.id"],
            name=op.f("fk_corroboration_partnership_partnership"),
        ),
        sa.PrimaryKeyConstraint("entity", name=op.f("pk_corroboration")),
    )
    op.create_table(
        "entity",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_entity_partnership_partnership")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity")),
    )
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_partnership_kind"), ["partnership", "kind"], unique=False
        )

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"],
            ["partnership.id"],
            name=op.f("fk_import_batch_partnership_partnership"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_table(
        "model_param",
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_model_param_partnership_partnership")
        ),
        sa.PrimaryKeyConstraint("partnership", "name", name=op.f("pk_model_param")),
    )
    op.create_table(
        "quarantine",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch"], ["import_batch.id"], name=op.f("fk_quarantine_batch_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_quarantine_partnership_partnership")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_quarantine")),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quarantine_partnership_content_hash"),
            ["partnership", "content_hash"],
            unique=False,
        )

    op.create_table(
        "report",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("org", sa.String(length=300), nullable=False),
        sa.Column("report_id", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("profile", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=60), nullable=False),
        sa.Column("reporter", sa.String(length=300), nullable=True),
        sa.Column("informant_ref", sa.String(length=300), nullable=True),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column("occurred_from", sa.Date(), nullable=True),
        sa.Column("occurred_to", sa.Date(), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch"], ["import_batch.id"], name=op.f("fk_report_batch_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_report_partnership_partnership")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_report")),
        sa.UniqueConstraint(
            "partnership",
            "org",
            "report_id",
            "version",
            name=op.f("uq_report_partnership_org_report_id_version"),
        ),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_partnership_current_reported_at"),
            ["partnership", "current", "reported_at"],
            unique=False,
        )

    op.create_table(
        "alert",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_label", sa.String(length=300), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("agencies", sa.JSON(), nullable=False),
        sa.Column("informants", sa.Integer(), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_alert_partnership_partnership")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by"], ["report.pk"], name=op.f("fk_alert_raised_by_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint(
            "partnership", "rule", "subject", name=op.f("uq_alert_partnership_rule_subject")
        ),
    )
    op.create_table(
        "mention",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("report", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_mention_partnership_partnership")
        ),
        sa.ForeignKeyConstraint(["report"], ["report.pk"], name=op.f("fk_mention_report_report")),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_mention")),
    )
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mention_partnership_kind"), ["partnership", "kind"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mention_report"), ["report"], unique=False)

    op.create_table(
        "link",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("report", sa.Integer(), nullable=False),
        sa.Column("src", sa.Integer(), nullable=False),
        sa.Column("dst", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("explicit", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["dst"], ["mention.pk"], name=op.f("fk_link_dst_mention")),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_link_partnership_partnership")
        ),
        sa.ForeignKeyConstraint(["report"], ["report.pk"], name=op.f("fk_link_report_report")),
        sa.ForeignKeyConstraint(["src"], ["mention.pk"], name=op.f("fk_link_src_mention")),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_link")),
    )
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_report"), ["report"], unique=False)

    op.create_table(
        "mention_entity",
        sa.Column("mention", sa.Integer(), nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention"], ["mention.pk"], name=op.f("fk_mention_entity_mention_mention")
        ),
        sa.ForeignKeyConstraint(
            ["partnership"],
            ["partnership.id"],
            name=op.f("fk_mention_entity_partnership_partnership"),
        ),
        sa.PrimaryKeyConstraint("mention", name=op.f("pk_mention_entity")),
    )
    with op.batch_alter_table("mention_entity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mention_entity_entity"), ["entity"], unique=False)

    op.create_table(
        "merge_edge",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("a", sa.Integer(), nullable=False),
        sa.Column("b", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["a"], ["mention.pk"], name=op.f("fk_merge_edge_a_mention")),
        sa.ForeignKeyConstraint(["b"], ["mention.pk"], name=op.f("fk_merge_edge_b_mention")),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_merge_edge_partnership_partnership")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_merge_edge")),
    )
    with op.batch_alter_table("merge_edge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_merge_edge_partnership_a"), ["partnership", "a"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_merge_edge_partnership_b"), ["partnership", "b"], unique=False
        )

    op.create_table(
        "observation",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("report", sa.Integer(), nullable=False),
        sa.Column("mention", sa.Integer(), nullable=True),
        sa.Column("indicator", sa.String(length=80), nullable=False),
        sa.Column("observed_at", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention"], ["mention.pk"], name=op.f("fk_observation_mention_mention")
        ),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name=op.f("fk_observation_partnership_partnership")
        ),
        sa.ForeignKeyConstraint(
            ["report"], ["report.pk"], name=op.f("fk_observation_report_report")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_observation")),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_report"), ["report"], unique=False)

    op.create_table(
        "pair_decision",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partnership", sa.String(length=64), nullable=False),
        sa.Column("a", sa.Integer(), nullable=False),
        sa.Column("b", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["a"], ["mention.pk"], name=op.f("fk_pair_decision_a_mention")),
        sa.ForeignKeyConstraint(["b"], ["mention.pk"], name=op.f("fk_pair_decision_b_mention")),
        sa.ForeignKeyConstraint(
            ["partnership"],
            ["partnership.id"],
            name=op.f("fk_pair_decision_partnership_partnership"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_pair_decision")),
    )


def downgrade() -> None:
    op.drop_table("pair_decision")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_report"))

    op.drop_table("observation")
    with op.batch_alter_table("merge_edge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_edge_partnership_b"))
        batch_op.drop_index(batch_op.f("ix_merge_edge_partnership_a"))

    op.drop_table("merge_edge")
    with op.batch_alter_table("mention_entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_entity_entity"))

    op.drop_table("mention_entity")
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_report"))

    op.drop_table("link")
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_report"))
        batch_op.drop_index(batch_op.f("ix_mention_partnership_kind"))

    op.drop_table("mention")
    op.drop_table("alert")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_partnership_current_reported_at"))

    op.drop_table("report")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantine_partnership_content_hash"))

    op.drop_table("quarantine")
    op.drop_table("model_param")
    op.drop_table("import_batch")
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_partnership_kind"))

    op.drop_table("entity")
    op.drop_table("corroboration")
    op.drop_table("partnership")
    op.drop_table("audit")
