"""Outbox outcomes, draft response versions, and the synced responses under review.

* ``drafts.response_version``: the server version of the response the draft will have once the
  commands already queued for it are applied (0 for a response the server has never seen).
* ``outbox``: the response a command is about (coalescing, lookups), the outcome's message and
  versions, and when it was first sent.
* ``responses``: the SYNCED copy of ``ComplaintDoc.responses`` (supervisors review offline).

Existing drafts and outbox rows are kept as they are (new columns get defaults / NULL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN only: no table copy, so existing local work is untouched.
    op.add_column("drafts", sa.Column("response_version", sa.Integer, nullable=False,
                                      server_default="0"))
    op.add_column("outbox", sa.Column("response_id", sa.Text))
    op.add_column("outbox", sa.Column("outcome_message", sa.Text))
    op.add_column("outbox", sa.Column("outcome_version", sa.Integer))
    op.add_column("outbox", sa.Column("response_version", sa.Integer))
    op.add_column("outbox", sa.Column("sent_at", sa.Integer))
    op.create_index("ix_outbox_response_id", "outbox", ["response_id"])
    op.create_table(
        "responses",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("complaint_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("author_id", sa.Text, nullable=False),
        sa.Column("author_name", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text_sha256", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("reviewer_id", sa.Text),
        sa.Column("updated_at", sa.Integer, nullable=False),
        sa.Column("published_at", sa.Integer),
    )
    op.create_index("ix_responses_complaint_id", "responses", ["complaint_id"])
    op.create_index("ix_responses_state", "responses", ["state"])


def downgrade() -> None:
    op.drop_index("ix_responses_state", "responses")
    op.drop_index("ix_responses_complaint_id", "responses")
    op.drop_table("responses")
    op.drop_index("ix_outbox_response_id", "outbox")
    with op.batch_alter_table("outbox") as batch:
        for column in ("sent_at", "response_version", "outcome_version", "outcome_message",
                       "response_id"):
            batch.drop_column(column)
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("response_version")
