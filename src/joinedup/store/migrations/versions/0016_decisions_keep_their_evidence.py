"""a decision keeps the evidence it rested on

``decision.evidence``: the report keys the alert rested on when the decision was recorded (its
evidence and the report that raised it), written by ``Store.add_decision``. The engine rewrites
an alert's evidence on every run; a retention review refuses to delete a report that any
decision's evidence names (``Store.delete_report``), so what the panel decided on is kept
whatever the alert cites later.

The evidence a decision of before had when it was recorded was not kept. Each such decision
is given its alert's evidence as it stands at this migration, the nearest record there is, so
that from now on nothing it may have rested on becomes deletable when the alert changes.
Migrating down drops the column.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

alert = sa.table("alert", sa.column("id", sa.String), sa.column("evidence", sa.JSON),
                 sa.column("raised_by", sa.Integer))
decision = sa.table("decision", sa.column("alert", sa.String), sa.column("evidence", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("evidence", sa.JSON()))
    conn = op.get_bind()
    decided = sa.select(decision.c.alert).distinct()
    for a in conn.execute(sa.select(alert.c.id, alert.c.evidence, alert.c.raised_by)
                          .where(alert.c.id.in_(decided))).all():
        rested_on = sorted({*(int(x) for x in a.evidence or ()), int(a.raised_by)})
        conn.execute(sa.update(decision).where(decision.c.alert == a.id)
                     .values(evidence=rested_on))


def downgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.drop_column("evidence")
