from django.apps import AppConfig


class NewsroomsConfig(AppConfig):
    name = "askdesk.newsrooms"
    label = "newsrooms"
