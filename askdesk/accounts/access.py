"""Who may do what. Every staff view asks here, so permissions live in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from askdesk.accounts.models import Expert, Role

# Seeing readers' contact details is a permission of its own, on the model that holds them
# (questions.ReaderContact), given to staff one by one.
REVEAL_CONTACT_CODENAME = "reveal_readercontact"
REVEAL_CONTACT_PERMISSION = f"questions.{REVEAL_CONTACT_CODENAME}"


def user_roles(user: Any) -> frozenset[str]:
    """The roles of a user, looked up once per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_askdesk_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.EDITOR)
        cached = frozenset(names & set(Role.values))
        user._askdesk_roles = cached
    return cached


def is_editor(user: Any) -> bool:
    return Role.EDITOR in user_roles(user)


def expert_for(user: Any) -> Expert | None:
    """The expert profile of a user who has the expert role."""
    if Role.EXPERT not in user_roles(user):
        return None
    try:
        return user.expert  # type: ignore[no-any-return]
    except Expert.DoesNotExist:
        return None


def _role_required(
    check: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = _role_required(is_editor)
staff_required = _role_required(lambda user: bool(user_roles(user)))
