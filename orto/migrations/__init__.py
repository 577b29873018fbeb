"""Alembic migrations, shipped inside the package so ``orto init`` works from a wheel."""
