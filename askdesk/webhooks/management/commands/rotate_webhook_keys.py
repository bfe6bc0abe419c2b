"""`manage.py rotate_webhook_keys`: re-encrypt webhook signing secrets with the newest contact key.

Run it with `rotate_contact_keys`, before old keys leave ASKDESK_CONTACT_KEYS.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from askdesk.webhooks.services import webhook_secrets_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt webhook signing secrets with the first key of ASKDESK_CONTACT_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{webhook_secrets_reencrypt()} webhook endpoint(s) re-encrypted.")
