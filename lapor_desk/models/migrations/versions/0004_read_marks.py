"""The user's read marks (mark read / unread), synced from the server.

* ``read_marks``: SYNCED layer, one row per complaint: read or not, and the newest reporter
  comment seen when it was marked read (a later reply makes it unread again). A reset empties
  it with the rest of the synced layer; drafts and the outbox are untouched.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "read_marks",
        sa.Column("complaint_id", sa.Text, primary_key=True),
        sa.Column("read", sa.Boolean, nullable=False),
        sa.Column("last_comment_id", sa.Text),
        sa.Column("updated_at", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("read_marks")
