"""sessions that can be ended; API tokens that expire

``account.sessions_valid_after``: a web session (a signed cookie) that began before it is
refused. Signing out, disabling the account and ``joinedup account sign-out`` set it to the
moment they happen, so a copy of the cookie is no longer good once its account has signed out.
NULL, as every account has after this migration, refuses no session.

``api_token.expires_at``: a token is refused after it. Every token issued from now on has one;
those issued before keep NULL and keep working until they are revoked (reissue them).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("sessions_valid_after", sa.DateTime(timezone=True)))
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("sessions_valid_after")
