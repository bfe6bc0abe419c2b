"""Full-text search on questions: SQLite FTS5 with triggers, or a PostgreSQL GIN index."""

from django.db import migrations

from askdesk.search import schema


def forwards(apps, schema_editor):
    schema.install(schema_editor.connection)


def backwards(apps, schema_editor):
    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("questions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
