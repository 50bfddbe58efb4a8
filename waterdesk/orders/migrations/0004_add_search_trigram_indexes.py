"""Trigram indexes for the order search on PostgreSQL.

The search matches a text anywhere in the number, address, content or phone, case-insensitively
(`UPPER(col) LIKE UPPER('%text%')`), which no B-tree index can serve. GIN trigram indexes on the
same expressions can. pg_trgm splits Chinese text into trigrams too (under a UTF-8 locale), so a
search of three or more characters uses them; one or two characters still scan by date.

SQLite, the embedded default, has no such indexes and skips this migration's SQL. Creating the
extension needs a database role allowed to do so (a superuser, or the extension pre-installed).
"""

from django.db import migrations

COLUMNS = {
    "number": "upper(number::text)",
    "address": "upper(address::text)",
    "content": "upper(content)",
    "phone": "upper(phone::text)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS order_{name}_trgm ON orders_workorder "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS order_{name}_trgm")


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_add_requests_and_exemptions")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
