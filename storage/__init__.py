"""Persistence: SQLAlchemy 2 models, engine/session set-up, repositories, Alembic migrations."""
