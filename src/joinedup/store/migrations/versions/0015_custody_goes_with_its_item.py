"""the chain of custody goes only with its evidence item

``custody.evidence`` references ``evidence_item.pk`` ON DELETE CASCADE: an item's custody
entries are removed by the database when the item is, as a retention review's deletion of a
report removes its items (``Store.delete_report``). The application's PostgreSQL role then
needs no DELETE on ``custody`` (``grant_app_role`` revokes it; run it again after this
migration), so it can no longer take one entry out of a chain, a failed verification say,
and keep the item. PostgreSQL performs a referential action as the referencing table's owner,
so the cascade works for a role that may not delete from the table.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

NAME = "fk_custody_evidence_evidence_item"


def _reference(ondelete: str | None) -> None:
    with op.batch_alter_table("custody") as batch:
        batch.drop_constraint(NAME, type_="foreignkey")
        batch.create_foreign_key(NAME, "evidence_item", ["evidence"], ["pk"], ondelete=ondelete)


def upgrade() -> None:
    _reference("CASCADE")


def downgrade() -> None:
    _reference(None)
