from django.apps import AppConfig


class CalloutsConfig(AppConfig):
    name = "askdesk.callouts"
    label = "callouts"
