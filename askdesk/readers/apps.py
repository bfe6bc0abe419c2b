from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Closing the loop with readers: emails, "I want to know too", voting rounds, editor alerts."""

    name = "askdesk.readers"
    label = "readers"

    def ready(self) -> None:
        from askdesk.answers.signals import questions_answered
        from askdesk.questions.signals import question_deleted, question_submitted
        from askdesk.readers import receivers

        question_submitted.connect(receivers.confirm_submission, dispatch_uid="askdesk.readers.confirm_submission")
        questions_answered.connect(receivers.tell_answered, dispatch_uid="askdesk.readers.tell_answered")
        question_deleted.connect(receivers.forget_deleted_words, dispatch_uid="askdesk.readers.forget_deleted_words")
