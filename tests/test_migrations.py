"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from storage.db import Database
from storage.models import Base


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    db = Database(database_url)
    async with db.engine.connect() as connection:
        diff = await connection.run_sync(differences)
    await db.dispose()
    assert diff == []
