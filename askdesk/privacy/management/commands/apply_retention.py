from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from askdesk.privacy.services import retention_apply


class Command(BaseCommand):
    help = "Delete contact details and unpublished questions of call-outs closed longer ago than the retention periods."

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_apply()
        self.stdout.write(
            f"Deleted {report.contacts_deleted} readers' contact details "
            f"(call-outs closed more than {settings.ASKDESK_RETAIN_CONTACT_DAYS} days ago) and "
            f"{report.questions_deleted} unpublished questions "
            f"(closed more than {settings.ASKDESK_RETAIN_UNPUBLISHED_DAYS} days ago)."
        )
