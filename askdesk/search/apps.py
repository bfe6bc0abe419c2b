from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "askdesk.search"
    label = "search"

    def ready(self) -> None:
        from askdesk.search.schema import reinstall_after_migrate

        # SQLite rebuilds a table to alter it, which drops its triggers: put them back after every migrate.
        post_migrate.connect(reinstall_after_migrate, sender=self, dispatch_uid="askdesk.search.schema")
