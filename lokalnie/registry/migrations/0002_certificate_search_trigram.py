"""A trigram index on certificates' folded search text, for the registry's "contains" search
on PostgreSQL (``search_text LIKE '%…%'``; see docs/performance.md). PostgreSQL only, with
``pg_trgm``; nothing changes on SQLite. The index is not in the model's Meta because Django
would create it on SQLite too."""

from django.db import migrations

INDEX = "registry_certificate_search_text_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_certificate "
        "USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
