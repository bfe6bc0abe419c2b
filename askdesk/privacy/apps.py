from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "askdesk.privacy"
    label = "privacy"
