from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "askdesk.analysis"
    label = "analysis"

    def ready(self) -> None:
        from askdesk.analysis.receivers import schedule_analysis
        from askdesk.questions.signals import question_changed

        question_changed.connect(schedule_analysis, dispatch_uid="askdesk.analysis.schedule_analysis")
        limit_numeric_threads()


def limit_numeric_threads() -> None:
    """Hold numpy's and scipy's BLAS to ASKDESK_NUMERIC_THREADS threads in this process."""
    import numpy  # noqa: F401 - loads numpy's BLAS, so that the limit reaches it
    import scipy.linalg  # noqa: F401 - and scipy's
    from django.conf import settings
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=settings.ASKDESK_NUMERIC_THREADS, user_api="blas")
