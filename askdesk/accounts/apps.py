from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "askdesk.accounts"
    label = "accounts"
