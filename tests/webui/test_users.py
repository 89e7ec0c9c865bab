"""Owners manage the team in the browser: invitations, roles, deactivation, password resets; the
last owner stays; every change is in the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sightline.webui import audit
from sightline.webui.models import AccountLink, AuditEntry
from sightline.webui.roles import role_of
from sightline.webui.users import hashed

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-passphrase-7"  # as conftest.PASSWORD
NEW_PASSWORD = "another-fine-passphrase-9"


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def issued_link(response) -> str:
    page = response.content.decode()
    start = page.index('id="issued-link" readonly value="') + len(
        'id="issued-link" readonly value="'
    )
    return page[start : page.index('"', start)]


def audited(*actions: str) -> list[tuple[str, str, str, dict]]:
    entries = AuditEntry.objects.filter(action__in=actions).order_by("id")
    return [(e.username, e.action, e.target, e.detail) for e in entries]


def test_only_owners_see_and_change_users(client_for, users):
    assert client_for("owner").get(reverse("webui:users")).status_code == 200
    target = users["viewer"].pk
    for role in ("editor", "reviewer", "viewer"):
        client = client_for(role)
        assert client.get(reverse("webui:users")).status_code == 403
        for name, data in [
            ("webui:set_role", {"role": "owner"}),
            ("webui:set_active", {"active": "0"}),
            ("webui:reset_password", {}),
        ]:
            assert client.post(reverse(name, args=[target]), data).status_code == 403
        assert (
            client.post(reverse("webui:invite"), {"username": "x", "role": "owner"}).status_code
            == 403
        )
    users["viewer"].refresh_from_db()
    assert (role_of(users["viewer"]), users["viewer"].is_active) == ("viewer", True)
    assert not AccountLink.objects.exists()
    # The menu shows Users to owners only.
    assert b">Users</a>" in client_for("owner").get(reverse("webui:audit")).content
    assert b">Users</a>" not in client_for("editor").get(reverse("webui:home") + "?all=1").content


def test_an_invitation_makes_an_account_with_its_role(client_for, users):
    owner = client_for("owner")
    response = owner.post(reverse("webui:invite"), {"username": "dana", "role": "reviewer"})
    assert response.status_code == 200
    url = issued_link(response)
    assert url.startswith("http://testserver/welcome/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = AccountLink.objects.get()
    # Only the hash is kept; the token appears nowhere in the database.
    assert link.token_hash == hashed(token) and token not in str(list(AuditEntry.objects.values()))
    assert (link.purpose, link.username, link.role) == ("invite", "dana", "reviewer")
    assert not get_user_model().objects.filter(username="dana").exists()
    # The owner's list shows the pending link, without the token.
    listing = owner.get(reverse("webui:users")).content.decode()
    assert 'data-link="dana"' in listing and token not in listing

    visitor = Client()
    page = visitor.get(f"/welcome/{token}/")
    assert page.status_code == 200
    assert "You are invited to Sightline as <strong>dana</strong>, with the role reviewer." in (
        page.content.decode()
    )
    mismatch = visitor.post(f"/welcome/{token}/", {"password": NEW_PASSWORD, "again": "other"})
    assert mismatch.status_code == 400
    assert b"the two passwords are not the same" in mismatch.content
    weak = visitor.post(f"/welcome/{token}/", {"password": "dana", "again": "dana"})
    assert (
        "this password is too like the user name, too short (at least 8 characters) and one of "
        "the most common passwords"
    ) in weak.content.decode()
    numeric = visitor.post(f"/welcome/{token}/", {"password": "9073518264", "again": "9073518264"})
    assert "this password is only digits</p>" in numeric.content.decode()
    done = visitor.post(f"/welcome/{token}/", {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("webui:login")
    dana = get_user_model().objects.get(username="dana")
    assert role_of(dana) == "reviewer" and dana.check_password(NEW_PASSWORD)
    # Used once: the link no longer works.
    again = Client().get(f"/welcome/{token}/")
    assert again.status_code == 404
    assert b"this link has already been used: ask an owner for a new one" in again.content
    assert Client().login(username="dana", password=NEW_PASSWORD)
    assert [(u, a, t) for u, a, t, _ in audited("invite_user", "accept_invitation")] == [
        ("owner", "invite_user", "dana"),
        ("dana", "accept_invitation", "dana"),
    ]
    assert audited("accept_invitation")[0][3] == {"role": "reviewer"}


def test_invitations_expire_and_can_be_withdrawn(client_for, users, monkeypatch):
    owner = client_for("owner")
    first = issued_link(owner.post(reverse("webui:invite"), {"username": "eve", "role": "viewer"}))
    second = issued_link(owner.post(reverse("webui:invite"), {"username": "fay", "role": "editor"}))
    real = timezone.now
    monkeypatch.setattr(audit, "now", lambda: real() + timedelta(days=7, seconds=1))
    expired = Client().get(first)
    assert expired.status_code == 404 and b"this link has expired" in expired.content
    monkeypatch.setattr(audit, "now", real)
    link = AccountLink.objects.get(username="fay")
    response = owner.post(reverse("webui:withdraw_link", args=[link.pk]), follow=True)
    assert flashed(response) == ["The invitation link for fay no longer works."]
    assert b"this link is not valid" in Client().get(second).content
    refused = Client().post(second, {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert refused.status_code == 404
    assert not get_user_model().objects.filter(username__in=["eve", "fay"]).exists()
    assert audited("withdraw_invite")[0][:3] == ("owner", "withdraw_invite", "fay")


def test_an_invitation_needs_a_free_valid_name_and_a_role(client_for, users):
    owner = client_for("owner")
    cases = [
        (
            {"username": "editor", "role": "viewer"},
            "there is already a user called &#x27;editor&#x27;",
        ),
        ({"username": "two words", "role": "viewer"}, "a user name may hold only letters, digits"),
        ({"username": "gil", "role": "boss"}, "unknown role &#x27;boss&#x27;: choose one of owner"),
        ({"username": "", "role": "viewer"}, "give the new user a user name"),
    ]
    for data, words in cases:
        response = owner.post(reverse("webui:invite"), data)
        assert response.status_code == 400
        assert words in response.content.decode(), data
    assert not AccountLink.objects.exists()


def test_an_owner_changes_roles_and_the_last_owner_stays(client_for, users):
    owner = client_for("owner")
    response = owner.post(
        reverse("webui:set_role", args=[users["viewer"].pk]), {"role": "editor"}, follow=True
    )
    assert flashed(response) == ["viewer is now editor."]
    assert role_of(users["viewer"]) == "editor"
    # The only owner cannot give up the role, nor be deactivated.
    me = users["owner"].pk
    response = owner.post(reverse("webui:set_role", args=[me]), {"role": "viewer"}, follow=True)
    assert flashed(response) == [
        "owner is the only active owner: make someone else an owner before you change this role"
    ]
    response = owner.post(reverse("webui:set_active", args=[me]), {"active": "0"}, follow=True)
    assert flashed(response) == [
        "owner is the only active owner: make someone else an owner before you deactivate "
        "this account"
    ]
    users["owner"].refresh_from_db()
    assert role_of(users["owner"]) == "owner" and users["owner"].is_active
    # With a second owner, the first may step down.
    owner.post(reverse("webui:set_role", args=[users["editor"].pk]), {"role": "owner"})
    stepped_down = owner.post(reverse("webui:set_role", args=[me]), {"role": "viewer"})
    assert stepped_down["Location"] == reverse("webui:home")
    assert role_of(get_user_model().objects.get(pk=me)) == "viewer"
    assert owner.get(reverse("webui:users")).status_code == 403  # no longer an owner
    assert audited("set_role") == [
        ("owner", "set_role", "viewer", {"before": "viewer", "after": "editor"}),
        ("owner", "set_role", "editor", {"before": "editor", "after": "owner"}),
        ("owner", "set_role", "owner", {"before": "owner", "after": "viewer"}),
    ]


def test_a_deactivated_owner_does_not_count_as_one(client_for, users, django_user_model):
    from sightline.webui.roles import set_role

    other = django_user_model.objects.create_user(username="olga", password=PASSWORD)
    set_role(other, "owner")
    owner = client_for("owner")
    owner.post(reverse("webui:set_active", args=[other.pk]), {"active": "0"})
    response = owner.post(
        reverse("webui:set_role", args=[users["owner"].pk]), {"role": "viewer"}, follow=True
    )
    assert flashed(response)[-1].startswith("owner is the only active owner")


def test_a_deactivated_account_cannot_log_in_and_its_session_ends(client_for, users):
    viewer = client_for("viewer")
    assert viewer.get(reverse("webui:home") + "?all=1").status_code == 200
    response = client_for("owner").post(
        reverse("webui:set_active", args=[users["viewer"].pk]), {"active": "0"}, follow=True
    )
    assert flashed(response) == [
        "viewer's account is deactivated: it can no longer log in or use the API."
    ]
    assert viewer.get(reverse("webui:home") + "?all=1").status_code == 302  # to the login page
    login = Client().post(reverse("webui:login"), {"username": "viewer", "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in login.wsgi_request.session
    client_for("owner").post(
        reverse("webui:set_active", args=[users["viewer"].pk]), {"active": "1"}
    )
    assert Client().login(username="viewer", password=PASSWORD)
    assert [a for _, a, _, _ in audited("deactivate_user", "reactivate_user")] == [
        "deactivate_user",
        "reactivate_user",
    ]


def test_a_password_reset_stops_the_old_password_and_sets_a_new_one(client_for, users):
    editor = client_for("editor")
    response = client_for("owner").post(reverse("webui:reset_password", args=[users["editor"].pk]))
    assert response.status_code == 200
    url = issued_link(response)
    assert "password reset link for <strong>editor</strong>" in response.content.decode()
    # The old password and the open session stop working at once.
    assert not Client().login(username="editor", password=PASSWORD)
    assert editor.get(reverse("webui:home") + "?all=1").status_code == 302
    page = Client().get(url)
    assert "A new password for <strong>editor</strong>." in page.content.decode()
    done = Client().post(url, {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert done.status_code == 302
    assert Client().login(username="editor", password=NEW_PASSWORD)
    editor_user = get_user_model().objects.get(username="editor")
    assert role_of(editor_user) == "editor"
    assert [(u, a, t) for u, a, t, _ in audited("reset_password", "set_password")] == [
        ("owner", "reset_password", "editor"),
        ("editor", "set_password", "editor"),
    ]


def test_a_superuser_given_a_role_has_just_that_role(client_for, users, django_user_model):
    chief = django_user_model.objects.create_superuser(username="chief", password=PASSWORD)
    client_for("owner").post(reverse("webui:set_role", args=[chief.pk]), {"role": "viewer"})
    chief.refresh_from_db()
    assert (chief.is_superuser, role_of(chief)) == (False, "viewer")


@pytest.mark.django_db(transaction=True)
def test_two_owners_stepping_down_at_once_leave_one(users, monkeypatch):
    """Each of two owners demotes the other at the same moment: one change wins, the other is
    refused, and the team keeps an owner. On PostgreSQL the second change is seen waiting for
    the first one's lock before the first commits; SQLite runs one writer at a time anyway."""
    import threading
    import time

    from django.db import connection

    from sightline.webui import users as accounts
    from sightline.webui.roles import set_role

    set_role(users["editor"], "owner")
    first, second = users["owner"], users["editor"]
    if connection.vendor != "postgresql":
        assert accounts.change_role(second, "viewer") == "owner"
        with pytest.raises(accounts.AccountError, match="owner is the only active owner"):
            accounts.change_role(first, "viewer")
        assert [u.username for u in accounts.active_owners()] == ["owner"]
        return

    holding, release = threading.Event(), threading.Event()
    keep = accounts._keep_an_owner

    def keep_then_hold(user, action):
        keep(user, action)
        if threading.current_thread().name == "A":
            holding.set()
            release.wait(60)

    monkeypatch.setattr(accounts, "_keep_an_owner", keep_then_hold)
    outcome: dict[str, str] = {}

    def demote(name: str, user) -> None:
        try:
            accounts.change_role(user, "viewer")
            outcome[name] = "changed"
        except accounts.AccountError as error:
            outcome[name] = error.message
        finally:
            connection.close()

    a = threading.Thread(target=demote, args=("A", second), name="A")
    b = threading.Thread(target=demote, args=("B", first), name="B")
    a.start()
    assert holding.wait(60)
    b.start()
    waiting = 0
    for _ in range(1200):  # until B waits on A's row lock (never, if there were no lock)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            waiting = cursor.fetchone()[0]
        if waiting:
            break
        time.sleep(0.05)
    release.set()
    a.join(60)
    b.join(60)
    assert waiting == 1
    assert outcome == {
        "A": "changed",
        "B": "owner is the only active owner: make someone else an owner before you change "
        "this role",
    }
    assert [u.username for u in accounts.active_owners()] == ["owner"]
