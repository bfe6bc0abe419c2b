"""The table of the "limits" cache (askdesk.ops.cache.AtomicDatabaseCache), made by createcachetable."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Makes the table of every database cache in CACHES that does not exist yet; no-op otherwise.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("ops", "0002_periodic_runs")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
