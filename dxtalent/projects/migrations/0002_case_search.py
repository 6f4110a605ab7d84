"""Search structures for the case library (ADR 0004), per database vendor.

- SQLite: an FTS5 table with the trigram tokenizer over `Case.search_text` (rowid = case id). It is a plain
  FTS5 table (it keeps its own copy of the text), filled by `dxtalent.projects.search.index_cases`, which the
  case services call after every write; there are no triggers, so a table rebuild by a later migration of
  `projects_case` cannot silently drop them. This migration fills it once from the existing rows.
- PostgreSQL: the pg_trgm extension and a GIN `gin_trgm_ops` index on `search_text` (serves LIKE '%term%' for
  terms of three or more characters). Creating the extension needs a superuser or a trusted-extension grant.
"""

from django.db import migrations

FTS_TABLE = "projects_case_fts"
PG_INDEX = "projects_case_search_trgm"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, tokenize='trigram')"
        )
        schema_editor.execute(f"DELETE FROM {FTS_TABLE}")
        schema_editor.execute(f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT id, search_text FROM projects_case")
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON projects_case USING gin (search_text gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
