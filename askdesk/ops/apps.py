from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "askdesk.ops"
    label = "ops"
    verbose_name = "Operations"
