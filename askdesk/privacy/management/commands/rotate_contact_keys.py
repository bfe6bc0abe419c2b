from typing import Any

from django.core.management.base import BaseCommand

from askdesk.privacy.services import contact_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every reader's contact details with the first key of ASKDESK_CONTACT_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rewritten = contact_keys_rotate()
        self.stdout.write(f"Re-encrypted the contact details of {rewritten} questions with the newest key.")
