"""Roles: owner, editor, reviewer, viewer, each a Django group with a fixed set of permissions.

The permissions live on ``AuditEntry.Meta.permissions``; views check them with ``has_perm`` so
a role is only ever a bundle of permissions, and the checks say what each action needs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

from sightline.errors import SightlineError

VIEW = "view_campaigns"
ACT = "act_on_requests"
ASSIGN = "assign_mail"
REVIEW = "review_facts"
BUILD = "build_findings"
AUDIT = "view_audit"
USERS = "manage_users"

ROLES: dict[str, tuple[str, ...]] = {
    "owner": (VIEW, ACT, ASSIGN, REVIEW, BUILD, AUDIT, USERS),
    "editor": (VIEW, ACT, ASSIGN, BUILD),  # send, chase, assign mail, edit
    "reviewer": (VIEW, REVIEW),  # confirm or correct facts
    "viewer": (VIEW,),
}
ROLE_NAMES = tuple(ROLES)


class RoleError(SightlineError, ValueError):
    pass


def perm(codename: str) -> str:
    """The full permission name for ``has_perm``."""
    return f"webui.{codename}"


def ensure_roles() -> dict[str, Group]:
    """Create (or bring up to date) the four groups and their permissions."""
    from sightline.webui.models import AuditEntry

    content_type = ContentType.objects.get_for_model(AuditEntry)
    labels = dict(AuditEntry._meta.permissions)
    permissions = {}
    for codename, label in labels.items():
        permissions[codename], _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": label}
        )
    groups = {}
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([permissions[c] for c in codenames])
        groups[role] = group
    return groups


def create_roles_after_migrate(**kwargs: Any) -> None:
    ensure_roles()


def set_role(user: Any, role: str) -> None:
    if role not in ROLES:
        raise RoleError(f"unknown role {role!r}: choose one of {', '.join(ROLE_NAMES)}")
    groups = ensure_roles()
    user.groups.set([groups[role]])


def role_of(user: AbstractBaseUser | AnonymousUser) -> str:
    """The user's role name ("" for none); a user in several groups gets the strongest."""
    if not user.is_authenticated:
        return ""
    if getattr(user, "is_superuser", False):
        return "owner"
    names = {group.name for group in user.groups.all()}  # type: ignore[union-attr]
    return next((role for role in ROLE_NAMES if role in names), "")


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the role and what it may do, for showing only the usable buttons."""
    user = request.user
    if not user.is_authenticated:
        return {"role": "", "can": {}}
    return {
        "role": role_of(user),
        "can": {
            "act": user.has_perm(perm(ACT)),
            "assign": user.has_perm(perm(ASSIGN)),
            "review": user.has_perm(perm(REVIEW)),
            "build": user.has_perm(perm(BUILD)),
            "audit": user.has_perm(perm(AUDIT)),
            "users": user.has_perm(perm(USERS)),
        },
    }
