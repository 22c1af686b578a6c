"""What the mediator may be told of a delegation's demands that block a deal, and when a
delegation's preferences last changed.

`members.disclosure`: 'nothing' (the default: unshared demands are counted, never named),
'delegation' (named as this delegation's undisclosed demand) or 'demands' (named by point
and options). `members.preferences_at`: a delegation is told which of its demands stand in
the way only for preferences older than the current draft, so it cannot probe the others'
by changing its own again and again. See docs/room.md, "When there is no deal".

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("members", sa.Column("disclosure", sa.String(16), nullable=False,
                                       server_default="nothing"))
    op.add_column("members", sa.Column("preferences_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("preferences_at")
        batch.drop_column("disclosure")
