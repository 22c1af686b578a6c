"""Access: when a member joined, whether it was revoked, and its hashed recovery code.

Revision ID: 0002
Revises: 0001

Existing members count as joined if they are the mediator or ever signed in (an event
`signed-in` or a live session), so no link can be issued to them after the upgrade.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("members", sa.Column("joined_at", sa.DateTime, nullable=True))
    op.add_column("members", sa.Column("revoked_at", sa.DateTime, nullable=True))
    op.add_column("members", sa.Column("recovery_hash", sa.String(200), nullable=True))
    op.execute(
        "UPDATE members SET joined_at = created_at WHERE role = 'mediator' "
        "OR id IN (SELECT member_id FROM events WHERE kind = 'signed-in' "
        "AND member_id IS NOT NULL) "
        "OR id IN (SELECT member_id FROM sessions)")


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("recovery_hash")
        batch.drop_column("revoked_at")
        batch.drop_column("joined_at")
