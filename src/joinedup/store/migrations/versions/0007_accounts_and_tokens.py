"""accounts and API tokens

Accounts hold a role, an agency, an argon2 password hash and the failed sign-ins that lock them;
API tokens are kept as SHA-256 only, scoped and revocable.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("agency", sa.String(60)),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name="fk_account_partnership_partnership"
        ),
        sa.PrimaryKeyConstraint("pk", name="pk_account"),
        sa.UniqueConstraint("partnership", "name", name="uq_account_partnership_name"),
    )
    op.create_table(
        "api_token",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("partnership", sa.String(64), nullable=False),
        sa.Column("account", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(
            ["partnership"], ["partnership.id"], name="fk_api_token_partnership_partnership"
        ),
        sa.ForeignKeyConstraint(["account"], ["account.pk"], name="fk_api_token_account_account"),
        sa.PrimaryKeyConstraint("pk", name="pk_api_token"),
        sa.UniqueConstraint("token_hash", name="uq_api_token_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_token")
    op.drop_table("account")
