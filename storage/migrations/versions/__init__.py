"""Migration scripts; alembic skips this file."""
