"""Negotiating on answers alone: a draft may ask for a comparison with an earlier draft; a
point's rejection may say it crosses a red line; a delegation's answer on a draft as a
whole (would it sign, how it compares, which points it wants changed first).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("versus", sa.Integer, nullable=True))
    op.add_column("answers", sa.Column("red_line", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    op.create_table(
        "whole_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id"), nullable=False,
                  index=True),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False,
                  index=True),
        sa.Column("sign", sa.Boolean, nullable=True),
        sa.Column("compared", sa.String(8), nullable=True),
        sa.Column("priorities", sa.JSON, nullable=False),
        sa.Column("answered_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("draft_id", "member_id"),
    )


def downgrade() -> None:
    op.drop_table("whole_answers")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("red_line")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("versus")
