from typing import Any

from django.http import HttpRequest

from askdesk.accounts.access import expert_for, is_editor


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"is_editor": is_editor(user), "current_expert": expert_for(user) if user is not None else None}
