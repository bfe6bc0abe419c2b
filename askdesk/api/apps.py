from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "askdesk.api"
    label = "api"
    verbose_name = "JSON API"
