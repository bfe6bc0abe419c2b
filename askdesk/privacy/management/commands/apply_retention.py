from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from askdesk.privacy.services import retention_apply


class Command(BaseCommand):
    help = "Delete contact details and unpublished questions of call-outs closed longer ago than the retention periods."

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_apply()
        self.stdout.write(
            f"Closed {report.callouts_closed} call-outs whose closing time had come. "
            f"Deleted {report.contacts_deleted} readers' contact details "
            f"(call-outs closed more than {settings.ASKDESK_RETAIN_CONTACT_DAYS} days ago, or questions decided "
            f"more than {settings.ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS} days ago), "
            f"redacted contact details typed into {report.texts_redacted} questions, and deleted "
            f"{report.questions_deleted} unpublished questions "
            f"(closed more than {settings.ASKDESK_RETAIN_UNPUBLISHED_DAYS} days ago)."
        )
