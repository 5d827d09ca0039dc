from django.db import migrations


def create_gin_index(apps, schema_editor):
    # A GIN index only PostgreSQL has; other databases search the normalised text.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS sitesearch_entry_vector_gin ON sitesearch_entry USING gin (vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS sitesearch_entry_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_initial")]

    operations = [migrations.RunPython(create_gin_index, drop_gin_index)]
