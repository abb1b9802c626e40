"""Alembic environment: always online, on the connection the store passes in."""

from __future__ import annotations

from alembic import context

from lapor_desk.models.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic command line
    raise RuntimeError("run migrations through lapor_desk.models.store.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
