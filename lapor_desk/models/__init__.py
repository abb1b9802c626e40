"""Domain and local store. No Qt here."""
