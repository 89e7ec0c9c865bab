"""The team's accounts in the browser: owners invite, set roles, deactivate and reset passwords;
everyone accepts their invitation and manages their own API tokens. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sightline.webui import audit
from sightline.webui import users as accounts
from sightline.webui.models import AccountLink, ApiToken
from sightline.webui.roles import ROLE_NAMES, USERS, VIEW, RoleError, role_of
from sightline.webui.views.common import needs

PURPOSE_NAMES = {"invite": "invitation", "reset": "password reset"}


def _account(user_id: int) -> Any:
    found = get_user_model().objects.filter(pk=user_id).first()
    if found is None:
        raise Http404(f"no user {user_id}")
    return found


def _users_page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    people = [
        {"user": user, "role": role_of(user), "is_self": user.pk == request.user.pk}
        for user in accounts.users()
    ]
    context = {
        "people": people,
        "links": accounts.pending_links().order_by("-id"),
        "roles": ROLE_NAMES,
        **extra,
    }
    return render(request, "webui/users.html", context, status=status)


def _link_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("webui:welcome", args=[token]))


@require_GET
@needs(USERS)
def users_page(request: HttpRequest) -> HttpResponse:
    return _users_page(request)


@require_POST
@needs(USERS)
@never_cache
def invite(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")
    role = request.POST.get("role", "")
    try:
        issued = accounts.invite(request.user, username, role)
    except (accounts.AccountError, RoleError) as error:
        return _users_page(request, problem=error.message, typed=username, status=400)
    link = issued.record
    audit.record(
        request,
        "invite_user",
        link.username,
        role=link.role,
        expires=link.expires_at.isoformat(timespec="seconds"),
    )
    return _issued_page(request, "invitation", issued)


def _issued_page(request: HttpRequest, what: str, issued: accounts.Issued) -> HttpResponse:
    """The users page with a new link on it. Rendered, not redirected: the link is shown this
    once and kept nowhere."""
    link = issued.record
    return _users_page(
        request,
        issued={"what": what, "user": link.username, "url": _link_url(request, issued.token)},
        expires=link.expires_at,
    )


@require_POST
@needs(USERS)
def change_role(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _account(user_id)
    role = request.POST.get("role", "")
    try:
        before = accounts.change_role(user, role)
    except (accounts.AccountError, RoleError) as error:
        messages.error(request, error.message)
        return redirect("webui:users")
    if before != role:
        audit.record(request, "set_role", user.get_username(), before=before, after=role)
        messages.success(request, f"{user.get_username()} is now {role}.")
    if user.pk == request.user.pk and role != "owner":
        return redirect("webui:home")  # this page is for owners only
    return redirect("webui:users")


@require_POST
@needs(USERS)
def set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _account(user_id)
    active = request.POST.get("active") == "1"
    try:
        accounts.set_active(user, active)
    except accounts.AccountError as error:
        messages.error(request, error.message)
        return redirect("webui:users")
    action = "reactivate_user" if active else "deactivate_user"
    audit.record(request, action, user.get_username())
    state = "active again" if active else "deactivated: it can no longer log in or use the API"
    messages.success(request, f"{user.get_username()}'s account is {state}.")
    return redirect("webui:users")


@require_POST
@needs(USERS)
@never_cache
def reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _account(user_id)
    try:
        issued = accounts.reset_password(request.user, user)
    except accounts.AccountError as error:
        messages.error(request, error.message)
        return redirect("webui:users")
    link = issued.record
    audit.record(
        request,
        "reset_password",
        user.get_username(),
        expires=link.expires_at.isoformat(timespec="seconds"),
    )
    return _issued_page(request, "password reset", issued)


@require_POST
@needs(USERS)
def withdraw_link(request: HttpRequest, link_id: int) -> HttpResponse:
    link = AccountLink.objects.filter(pk=link_id).first()
    if link is None:
        raise Http404(f"no link {link_id}")
    try:
        accounts.withdraw(link)
    except accounts.AccountError as error:
        messages.error(request, error.message)
        return redirect("webui:users")
    audit.record(request, f"withdraw_{link.purpose}", link.username)
    messages.success(
        request, f"The {PURPOSE_NAMES[link.purpose]} link for {link.username} no longer works."
    )
    return redirect("webui:users")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation or reset link leads: set a password."""
    try:
        link = accounts.open_link(token)
    except accounts.AccountError as error:
        return render(request, "webui/welcome.html", {"problem": error.message}, status=404)
    context: dict[str, Any] = {"link": link}
    if request.method == "POST":
        try:
            user = accounts.use_link(
                token, request.POST.get("password", ""), request.POST.get("again", "")
            )
        except (accounts.AccountError, RoleError) as error:
            context["error"] = error.message
            return render(request, "webui/welcome.html", context, status=400)
        action = (
            "accept_invitation" if link.purpose == AccountLink.Purpose.INVITE else "set_password"
        )
        detail = {"role": link.role} if link.role else {}
        audit.record_as(request, user, action, user.get_username(), **detail)
        messages.success(request, f"Your password is set, {user.get_username()}: log in with it.")
        return redirect("webui:login")
    return render(request, "webui/welcome.html", context)


# API tokens: each person manages their own ------------------------------------------------------


def _tokens_page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user, revoked_at=None)
    context = {"tokens": tokens, "api": request.build_absolute_uri(reverse("api:me")), **extra}
    return render(request, "webui/tokens.html", context, status=status)


@require_GET
@needs(VIEW)
def tokens_page(request: HttpRequest) -> HttpResponse:
    return _tokens_page(request)


@require_POST
@never_cache
@needs(VIEW)
def create_token(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")
    try:
        issued = accounts.create_api_token(request.user, name)
    except accounts.AccountError as error:
        return _tokens_page(request, problem=error.message, status=400)
    audit.record(request, "create_api_token", issued.record.prefix, name=issued.record.name)
    return _tokens_page(request, issued=issued.token, issued_name=issued.record.name)


@require_POST
@needs(VIEW)
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    record = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if record is None:
        raise Http404(f"no token {token_id}")
    accounts.revoke_api_token(record)
    audit.record(request, "revoke_api_token", record.prefix, name=record.name)
    messages.success(request, f"The token {record.name!r} no longer works.")
    return redirect("webui:tokens")
