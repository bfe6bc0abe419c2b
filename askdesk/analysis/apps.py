from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "askdesk.analysis"
    label = "analysis"

    def ready(self) -> None:
        from askdesk.analysis.receivers import schedule_analysis
        from askdesk.questions.signals import question_changed

        question_changed.connect(schedule_analysis, dispatch_uid="askdesk.analysis.schedule_analysis")
