from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from askdesk.accounts.access import REVEAL_CONTACT_CODENAME
from askdesk.accounts.models import Expert, Membership, Role
from askdesk.audit.services import audit_record
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
    """A staff account with one role in one newsroom; an expert also gets the profile shown with answers.

    Seeing readers' contact details is a separate permission, given only when asked for.
    """
    user = User.objects.create_user(username=username, password=password, first_name=name)
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if can_see_contacts:
        user.user_permissions.add(
            Permission.objects.get(codename=REVEAL_CONTACT_CODENAME, content_type__app_label="questions")
        )
    Membership.objects.create(user=user, newsroom=newsroom)
    if role == Role.EXPERT:
        Expert.objects.create(user=user, newsroom=newsroom, name=name or username, title=title, areas=areas)
    return user


@transaction.atomic
def membership_add(*, user: User, newsroom: Newsroom, actor: Any) -> Membership:
    """Let a staff account work for one more newsroom."""
    membership, created = Membership.objects.get_or_create(user=user, newsroom=newsroom)
    if created:
        audit_record(actor=actor, action="membership.add", target=membership, user=user.pk, newsroom=newsroom.pk)
    return membership


@transaction.atomic
def membership_remove(*, user: User, newsroom: Newsroom, actor: Any) -> None:
    """Take a staff account off a newsroom: it no longer sees that newsroom's questions."""
    membership = Membership.objects.filter(user=user, newsroom=newsroom).first()
    if membership is not None:
        audit_record(actor=actor, action="membership.remove", target=membership, user=user.pk, newsroom=newsroom.pk)
        membership.delete()


RECOVERY_CODES = 10


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: a new secret, unconfirmed until a code from it is checked."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns new recovery codes, or None if the code is wrong.

    The confirmed authenticator replaces any earlier one, and the recovery codes replace earlier codes.
    """
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    audit_record(actor=user, action="account.second_factor_on", target=user)
    return codes
