from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "askdesk.questions"
    label = "questions"
