"""Sync protocol types, HTTP transport and the sync engine. No Qt here."""
