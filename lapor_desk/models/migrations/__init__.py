"""Alembic migrations of the local replica, run programmatically by ``lapor_desk.models.store``.

There is no alembic.ini: ``store.migrate`` builds the configuration in code and hands Alembic an
open connection inside the store's write transaction.
"""
