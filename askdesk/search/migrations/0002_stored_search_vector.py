"""PostgreSQL: the questions' tsvector stored in a generated column and carried in an index in
triage order, for searches among the newest questions."""

from django.db import migrations

from askdesk.search import schema


def forwards(apps, schema_editor):
    schema.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    # Backwards: 0001's reverse drops every search object, this column included.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
