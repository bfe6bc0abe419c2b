from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "askdesk.answers"
    label = "answers"
