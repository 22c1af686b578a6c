"""What the mediator may be told of a delegation's demands that block a deal.

`members.disclosure`: 'nothing' (the default: unshared demands are counted, never named),
'delegation' (named as this delegation's undisclosed demand) or 'demands' (named by point
and options). See docs/room.md, "When there is no deal".

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


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("disclosure")
