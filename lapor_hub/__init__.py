"""LAPOR! Hub: the reference sync server for LAPOR! Desk (FastAPI + SQLAlchemy)."""

__version__ = "0.1.0"
