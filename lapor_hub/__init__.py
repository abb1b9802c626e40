"""LAPOR! Hub: the reference sync server for LAPOR! Desk (FastAPI + SQLAlchemy).

Modules: ``db`` (tables, engines, meta), ``store`` (complaint writes and the per-agency change
sequence), ``auth`` (passwords, tokens), ``feed`` (signed cursors, gzip pages), ``app``
(``create_app(db_url)``), ``embedded`` (``EmbeddedHub``), ``seed`` (demo data), ``jsonl``
(import/export) and ``cli`` (``lapor-hub``). Imports nothing from Qt.
"""

__version__ = "0.1.0"
