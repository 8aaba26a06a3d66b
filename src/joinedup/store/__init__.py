"""The one store: SQLite by default, PostgreSQL in production, the same code for both."""

from joinedup.store.gate import Actor, AllowAll, Gate, Policy
from joinedup.store.store import Store, default_url, make_engine, migrate

__all__ = ["Actor", "AllowAll", "Gate", "Policy", "Store", "default_url", "make_engine", "migrate"]
