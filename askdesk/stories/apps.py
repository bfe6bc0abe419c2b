from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "askdesk.stories"
    label = "stories"
