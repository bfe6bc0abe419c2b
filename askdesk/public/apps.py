from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "askdesk.public"
    verbose_name = "Public pages, embeds and feeds"
