from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "askdesk.exports"
    label = "exports"
