"""The caller agency's deadline rules, synced from the server (``reference.rules``).

* ``sync_state.rules``: ``DeadlineRules.to_dict()`` as JSON (NULL until a server sent rules:
  the defaults apply); ``sync_state.rules_updated_at``: when they were stored (µs, UTC).

A replica holds one user's agency, so the single ``sync_state`` row carries them.
ADD COLUMN only: drafts, the outbox and the synced layer are untouched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_state", sa.Column("rules", sa.Text))
    op.add_column("sync_state", sa.Column("rules_updated_at", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("rules_updated_at")
        batch.drop_column("rules")
