from typing import Any

from django.http import HttpRequest

from askdesk.accounts.access import is_editor


def alerts(request: HttpRequest) -> dict[str, Any]:
    """The desk's alert badge: unseen alerts of the editor signed in (one query, editors only)."""
    user = getattr(request, "user", None)
    if user is None or not is_editor(user):
        return {}

    def count() -> int:
        from askdesk.readers.selectors import unseen_alert_count

        return unseen_alert_count(user=user)

    return {"unseen_alerts": count}
