"""Managing the team's accounts: invitations, roles, deactivation, password resets, API tokens.

An owner invites someone by user name and role; Sightline makes a link with a random token (shown
once, kept only as its SHA-256) that the person opens to set a password, which creates the
account. A password reset is the same kind of link for an existing account, and the old password
stops working at once. No account may leave the team without an active owner.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from sightline.errors import SightlineError
from sightline.webui import audit
from sightline.webui.models import AccountLink, ApiToken
from sightline.webui.roles import ROLE_NAMES, RoleError, role_of, set_role

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(days=2)
TOKEN_PREFIX = "sl_"
USERNAME_CHARACTERS = "letters, digits and @ . + - _"

# Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), by error code, in our words.
PASSWORD_PROBLEMS = {
    "password_too_short": "too short (at least 8 characters)",
    "password_too_similar": "too like the user name",
    "password_too_common": "one of the most common passwords",
    "password_entirely_numeric": "only digits",
}


class AccountError(SightlineError, ValueError):
    """Something an owner or an invited person asked for that cannot be done, and why."""


@dataclass(frozen=True)
class Issued:
    """A secret made for someone: the plain token (shown once) and the record that keeps its hash."""

    token: str
    record: Any


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def users() -> QuerySet[Any]:
    return get_user_model().objects.order_by("username").prefetch_related("groups")


def active_owners() -> list[Any]:
    found = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name="owner"))
        .distinct()
    )
    return list(found)


def _check_username(username: str) -> str:
    name = username.strip()
    field = get_user_model()._meta.get_field("username")
    if not name:
        raise AccountError("give the new user a user name")
    if len(name) > 150:
        raise AccountError("a user name has at most 150 characters")
    try:
        for validator in field.validators:
            validator(name)
    except ValidationError as error:
        raise AccountError(
            f"a user name may hold only {USERNAME_CHARACTERS}", detail=str(error)
        ) from None
    if get_user_model().objects.filter(username=name).exists():
        raise AccountError(f"there is already a user called {name!r}")
    return name


def pending_links() -> QuerySet[AccountLink]:
    return AccountLink.objects.filter(
        used_at=None, withdrawn_at=None, expires_at__gt=audit.now()
    ).select_related("created_by")


def invite(by: Any, username: str, role: str) -> Issued:
    """An invitation for ``username`` with ``role``: the account exists once it is accepted."""
    if role not in ROLE_NAMES:
        raise RoleError(f"unknown role {role!r}: choose one of {', '.join(ROLE_NAMES)}")
    name = _check_username(username)
    if pending_links().filter(purpose=AccountLink.Purpose.INVITE, username=name).exists():
        raise AccountError(f"{name} has already been invited: withdraw that invitation first")
    token = _new_token()
    record = AccountLink.objects.create(
        purpose=AccountLink.Purpose.INVITE,
        token_hash=hashed(token),
        username=name,
        role=role,
        created_by=by,
        created_at=audit.now(),
        expires_at=audit.now() + INVITATION_LIFETIME,
    )
    return Issued(token, record)


def reset_password(by: Any, user: Any) -> Issued:
    """A link for ``user`` to set a new password; the old one stops working now."""
    if not user.is_active:
        raise AccountError(f"{user.get_username()} is deactivated: reactivate the account first")
    with transaction.atomic():
        pending_links().filter(purpose=AccountLink.Purpose.RESET, user=user).update(
            withdrawn_at=audit.now()
        )
        user.set_unusable_password()  # also ends the account's sessions
        user.save(update_fields=["password"])
        token = _new_token()
        record = AccountLink.objects.create(
            purpose=AccountLink.Purpose.RESET,
            token_hash=hashed(token),
            username=user.get_username(),
            user=user,
            created_by=by,
            created_at=audit.now(),
            expires_at=audit.now() + RESET_LIFETIME,
        )
    return Issued(token, record)


def open_link(token: str) -> AccountLink:
    """The invitation or reset a link's token stands for, if it can still be used."""
    found = AccountLink.objects.filter(token_hash=hashed(token)).first()
    if found is None or found.withdrawn_at is not None:
        raise AccountError("this link is not valid: ask an owner for a new one")
    if found.used_at is not None:
        raise AccountError("this link has already been used: ask an owner for a new one")
    if found.expires_at <= audit.now():
        raise AccountError("this link has expired: ask an owner for a new one")
    if found.purpose == AccountLink.Purpose.RESET and (
        found.user is None or not found.user.is_active
    ):
        raise AccountError("this account is deactivated: ask an owner")
    return found


def _check_password(password: str, again: str, user: Any) -> None:
    if password != again:
        raise AccountError("the two passwords are not the same")
    try:
        validate_password(password, user)
    except ValidationError as error:
        problems = list(
            dict.fromkeys(
                PASSWORD_PROBLEMS.get(item.code or "", "not accepted") for item in error.error_list
            )
        )
        listed = (
            ", ".join(problems[:-1]) + " and " + problems[-1] if len(problems) > 1 else problems[0]
        )
        raise AccountError(f"this password is {listed}", detail=str(error)) from None


def use_link(token: str, password: str, again: str) -> Any:
    """Set the password a link asks for: the invited account is created, or the reset one changed."""
    model = get_user_model()
    with transaction.atomic():
        link = open_link(token)
        link = AccountLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise AccountError("this link has already been used: ask an owner for a new one")
        if link.purpose == AccountLink.Purpose.INVITE:
            user = model(username=link.username)
            _check_password(password, again, user)
            if model.objects.filter(username=link.username).exists():
                raise AccountError(f"there is already a user called {link.username!r}")
            user.set_password(password)
            user.save()
            set_role(user, link.role)
        else:
            user = link.user
            _check_password(password, again, user)
            user.set_password(password)
            user.save(update_fields=["password"])
        link.used_at = audit.now()
        link.user = user
        link.save(update_fields=["used_at", "user"])
    return user


def withdraw(link: AccountLink) -> None:
    if link.used_at is not None:
        raise AccountError("this link has already been used")
    link.withdrawn_at = audit.now()
    link.save(update_fields=["withdrawn_at"])


def _keep_an_owner(user: Any, action: str) -> None:
    owners = [owner.pk for owner in active_owners()]
    if owners == [user.pk]:
        raise AccountError(
            f"{user.get_username()} is the only active owner: make someone else an owner "
            f"before you {action}"
        )


def change_role(user: Any, role: str) -> str:
    """Give ``user`` the role; returns the one they had. The last active owner keeps theirs."""
    if role not in ROLE_NAMES:
        raise RoleError(f"unknown role {role!r}: choose one of {', '.join(ROLE_NAMES)}")
    with transaction.atomic():
        _lock_accounts()
        before = role_of(user)
        if before == "owner" and role != "owner" and user.is_active:
            _keep_an_owner(user, "change this role")
        set_role(user, role)
        if user.is_superuser:  # a superuser has every permission whatever the role says
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
    return before


def set_active(user: Any, active: bool) -> None:
    """Deactivate (no login, no API token, sessions refused) or reactivate an account."""
    with transaction.atomic():
        _lock_accounts()
        if not active and user.is_active and role_of(user) == "owner":
            _keep_an_owner(user, "deactivate this account")
        user.is_active = active
        user.save(update_fields=["is_active"])


def _lock_accounts() -> None:
    """Two owners demoting each other at once: the second waits and then sees the first's change
    (PostgreSQL row locks; SQLite writes one transaction at a time already)."""
    list(get_user_model().objects.select_for_update().filter(is_active=True).values_list("pk"))


# API tokens -------------------------------------------------------------------------------------


def create_api_token(user: Any, name: str) -> Issued:
    label = name.strip()
    if not label:
        raise AccountError("give the token a name, such as the tool that will use it")
    if len(label) > 100:
        raise AccountError("a token's name has at most 100 characters")
    token = TOKEN_PREFIX + _new_token()
    record = ApiToken.objects.create(
        user=user,
        name=label,
        token_hash=hashed(token),
        prefix=token[:10],
        created_at=audit.now(),
    )
    return Issued(token, record)


def revoke_api_token(record: ApiToken) -> None:
    if record.revoked_at is None:
        record.revoked_at = audit.now()
        record.save(update_fields=["revoked_at"])
