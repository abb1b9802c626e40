"""Initial replica schema: synced layer, drafts, outbox, sync state, full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the values at this revision (never import live constants into a migration).
_DRAFT_STATES = "'draft', 'submitted', 'approved', 'returned', 'orphaned'"
_OUTBOX_STATES = "'pending', 'sending', 'applied', 'merged', 'conflict', 'rejected', 'parked'"
_CREATE_FTS = (
    "CREATE VIRTUAL TABLE complaints_fts USING fts5("
    "title, body, thread, "
    "content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("parent_id", sa.Text),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("parent_id", sa.Text),
        sa.Column("path", sa.Text, nullable=False),
    )
    op.create_index("ix_categories_parent_id", "categories", ["parent_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("agency_id", sa.Text, nullable=False),
    )
    op.create_table(
        "complaints",
        sa.Column("rid", sa.Integer, primary_key=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("tracking_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("incident_date", sa.Text),
        sa.Column("province", sa.Text),
        sa.Column("regency", sa.Text),
        sa.Column("district", sa.Text),
        sa.Column("category_id", sa.Text),
        sa.Column("classification", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("is_anonymous", sa.Boolean, nullable=False),
        sa.Column("is_confidential", sa.Boolean, nullable=False),
        sa.Column("reporter_name", sa.Text),
        sa.Column("reporter_phone", sa.Text),
        sa.Column("reporter_email", sa.Text),
        sa.Column("agency_id", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("priority", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("assignee_id", sa.Text),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Integer, nullable=False),
        sa.Column("due_at", sa.Integer),
        sa.Column("resolution_due_at", sa.Integer),
        sa.Column("thread_count", sa.Integer, nullable=False),
    )
    # Covering sort indexes (key, tracking_id, id): the inbox id list is an index-only scan.
    op.create_index("ix_complaints_due", "complaints",
                    [sa.text("(due_at IS NULL)"), "due_at", "tracking_id", "id", "status",
                     "agency_id", "category_id"])
    op.create_index("ix_complaints_status", "complaints", ["status", "tracking_id", "id"])
    op.create_index("ix_complaints_tracking_id", "complaints", ["tracking_id", "id"])
    op.create_index("ix_complaints_updated_at", "complaints", ["updated_at", "tracking_id", "id"])
    op.create_index("ix_complaints_created_at", "complaints", ["created_at", "tracking_id", "id"])
    op.create_index("ix_complaints_agency_id", "complaints", ["agency_id"])
    op.create_index("ix_complaints_category_id", "complaints", ["category_id"])
    op.create_table(
        "complaint_copies",
        sa.Column("complaint_rid", sa.Integer,
                  sa.ForeignKey("complaints.rid", ondelete="CASCADE"), primary_key=True),
        sa.Column("agency_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_complaint_copies_agency_id", "complaint_copies", ["agency_id"])
    op.create_table(
        "thread_entries",
        # Integer rowid key: entries are read and replaced per complaint only.
        sa.Column("row_id", sa.Integer, primary_key=True),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("complaint_rid", sa.Integer,
                  sa.ForeignKey("complaints.rid", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.Integer, nullable=False),
    )
    op.create_index("ix_thread_entries_complaint_rid", "thread_entries", ["complaint_rid"])
    op.create_table(
        "attachments",
        sa.Column("row_id", sa.Integer, primary_key=True),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("complaint_rid", sa.Integer,
                  sa.ForeignKey("complaints.rid", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("mime", sa.Text),
    )
    op.create_index("ix_attachments_complaint_rid", "attachments", ["complaint_rid"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("complaint_id", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
        sa.CheckConstraint(f"state IN ({_DRAFT_STATES})", name="ck_drafts_state"),
    )
    op.create_index("ix_drafts_complaint_id", "drafts", ["complaint_id"])
    op.create_index("ix_drafts_state", "drafts", ["state"])
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("op_id", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("complaint_id", sa.Text),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("outcome_reason", sa.Text),
        sa.Column("updated_at", sa.Integer, nullable=False),
        sa.CheckConstraint(f"state IN ({_OUTBOX_STATES})", name="ck_outbox_state"),
    )
    op.create_index("ix_outbox_complaint_id", "outbox", ["complaint_id"])
    op.create_index("ix_outbox_state", "outbox", ["state"])
    sync_state = op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("cursor", sa.Text),
        sa.Column("epoch", sa.Text),
        sa.Column("last_sync_at", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", sa.Integer),
        sa.CheckConstraint("id = 1", name="ck_sync_state_single"),
    )
    op.bulk_insert(sync_state, [{"id": 1}])
    op.execute(_CREATE_FTS)


def downgrade() -> None:
    op.execute("DROP TABLE complaints_fts")
    for table in ("sync_state", "outbox", "drafts", "attachments", "thread_entries",
                  "complaint_copies", "complaints", "users", "categories", "agencies"):
        op.drop_table(table)
