from __future__ import annotations

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from askdesk.accounts.access import REVEAL_CONTACT_CODENAME
from askdesk.accounts.models import Expert, Role
from askdesk.newsrooms.models import Newsroom


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    role: Role,
    newsroom: Newsroom,
    name: str = "",
    title: str = "",
    areas: str = "",
    can_see_contacts: bool = False,
) -> User:
    """A staff account with one role; an expert also gets the profile shown with answers.

    Seeing readers' contact details is a separate permission, given only when asked for.
    """
    user = User.objects.create_user(username=username, password=password, first_name=name)
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if can_see_contacts:
        user.user_permissions.add(
            Permission.objects.get(codename=REVEAL_CONTACT_CODENAME, content_type__app_label="questions")
        )
    if role == Role.EXPERT:
        Expert.objects.create(user=user, newsroom=newsroom, name=name or username, title=title, areas=areas)
    return user
