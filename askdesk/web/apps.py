from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "askdesk.web"
    label = "web"
