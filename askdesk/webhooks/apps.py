from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "askdesk.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from askdesk.audit.signals import audit_recorded
        from askdesk.questions.signals import group_sizes_changed, question_changed, question_deleted
        from askdesk.webhooks import receivers

        question_changed.connect(receivers.question_received, dispatch_uid="askdesk.webhooks.question_received")
        audit_recorded.connect(receivers.action_recorded, dispatch_uid="askdesk.webhooks.action_recorded")
        question_deleted.connect(receivers.question_deleted, dispatch_uid="askdesk.webhooks.question_deleted")
        group_sizes_changed.connect(receivers.groups_changed, dispatch_uid="askdesk.webhooks.groups_changed")
