"""LAPOR! Desk: offline-first desktop client for SP4N-LAPOR! complaint handling."""

__version__ = "0.1.0"
