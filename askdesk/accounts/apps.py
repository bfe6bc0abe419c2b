from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "askdesk.accounts"
    label = "accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from askdesk.accounts.receivers import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="askdesk.accounts.record_lockout")
