"""Colleague links: a single-use link into a delegation's own seat, made by the delegation.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("members", sa.Column("colleague_hash", sa.String(64), nullable=True))
    op.create_index("ix_members_colleague_hash", "members", ["colleague_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_members_colleague_hash", "members")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("colleague_hash")
