"""A trigram index on institutions' folded names, for "contains" searches on PostgreSQL.

The public registry finds certificates by the institution's current name with
``search_name LIKE '%…%'``, which a b-tree index cannot answer; at national scale (100,000
institutions) a trigram GIN index turns that scan into an index lookup (docs/performance.md).
PostgreSQL only, through ``pg_trgm`` (a trusted extension: the database owner may create it);
on SQLite nothing changes. The index is not in the model's Meta because Django would create
it on SQLite too."""

from django.db import migrations

INDEX = "institutions_institution_search_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON institutions_institution "
        "USING gin (search_name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("institutions", "0003_areaofwork_description_en_areaofwork_description_pl")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
