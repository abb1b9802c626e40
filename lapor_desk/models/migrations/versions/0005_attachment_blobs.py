"""Attachment content in the encrypted replica: ``blobs`` (one row per SHA-256) and
``blob_chunks`` (the bytes, in chunks, contiguous from offset 0).

New tables only: drafts, the outbox and the synced layer are untouched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("have", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("complete", sa.Boolean, nullable=False, server_default=sa.text("0")),
        sa.Column("upload", sa.Text, nullable=False, server_default=sa.text("'none'")),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.CheckConstraint("upload IN ('none', 'pending', 'done', 'failed')",
                           name="ck_blobs_upload"),
    )
    op.create_table(
        "blob_chunks",
        sa.Column("sha256", sa.Text, sa.ForeignKey("blobs.sha256", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("pos", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("blob_chunks")
    op.drop_table("blobs")
