"""A negotiation's decision rule: who must agree for a package to pass (the scenario
format's `rule`: at least k delegations, the delegations that must agree), set by the
mediator when opening it. NULL means unanimity, so every negotiation opened before keeps
its meaning. See docs/room.md, "The decision rule".

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("negotiations", sa.Column("rule", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("negotiations") as batch:
        batch.drop_column("rule")
