"""Alembic migrations, run by ``storage.migrate.upgrade`` (no alembic.ini needed)."""
