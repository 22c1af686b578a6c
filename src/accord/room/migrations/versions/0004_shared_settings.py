"""Several processes on one database: shared settings, and history read page by page.

`settings` holds what every process of the room must agree on (the key that signs the
signed-out forms' CSRF cookie); the index on events (negotiation, id) serves one page of
history without reading the rest.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("settings",
                    sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("value", sa.Text(), nullable=False))
    op.create_index("ix_events_negotiation_id_id", "events", ["negotiation_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_negotiation_id_id", "events")
    op.drop_table("settings")
