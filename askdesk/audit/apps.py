from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "askdesk.audit"
    label = "audit"
