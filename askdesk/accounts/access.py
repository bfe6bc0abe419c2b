"""Who may do what. Every staff view asks here, so permissions live in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from askdesk.accounts.models import Expert, Membership, Role
from askdesk.newsrooms.models import Newsroom

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


def newsroom_ids(user: Any) -> frozenset[int]:
    """The newsrooms whose stories, call-outs and questions a staff account may see.

    A superuser (the people who run askdesk) sees every newsroom; an account without a role
    sees none, whatever its memberships.
    """
    if not user_roles(user):
        return frozenset()
    cached = getattr(user, "_askdesk_newsrooms", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Newsroom.objects.values_list("id", flat=True))
        else:
            cached = frozenset(Membership.objects.filter(user=user).values_list("newsroom_id", flat=True))
        user._askdesk_newsrooms = cached
    return cached


def works_for(user: Any, newsroom_id: int) -> bool:
    return newsroom_id in newsroom_ids(user)


def is_editor_of(user: Any, newsroom_id: int) -> bool:
    return is_editor(user) and works_for(user, newsroom_id)


def experts_of(newsroom_id: int) -> Any:
    """The experts who answer for a newsroom, to offer when assigning its questions."""
    return Expert.objects.filter(user__newsroom_memberships__newsroom_id=newsroom_id).order_by("name", "id")


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
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not check(request.user):
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = _role_required(is_editor)
staff_required = _role_required(lambda user: bool(user_roles(user)))


def second_factor_required(user: Any) -> bool:
    """Staff with a permission in ASKDESK_SECOND_FACTOR_PERMISSIONS must sign in with a second factor
    where ASKDESK_SECOND_FACTOR_REQUIRED is on (production)."""
    if not settings.ASKDESK_SECOND_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return any(user.has_perm(permission) for permission in settings.ASKDESK_SECOND_FACTOR_PERMISSIONS)


def second_factor_verified(user: Any) -> bool:
    """This session was confirmed with a one-time code (django-otp's middleware tells)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def second_factor_missing(user: Any) -> bool:
    return second_factor_required(user) and not second_factor_verified(user)
