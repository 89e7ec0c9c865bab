"""``sightline createuser`` and ``sightline serve``."""

import threading
import urllib.error
import urllib.request

import pytest
from django.contrib.auth import get_user_model

from sightline.cli.web import _is_loopback, make_server
from sightline.webui.roles import role_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_createuser_from_the_environment(run, monkeypatch):
    monkeypatch.setenv("SIGHTLINE_PASSWORD", "a-long-test-passphrase-7")
    result = run("createuser", "alice", "--role", "editor")
    assert (result.exit_code, result.stdout) == (0, "Created user alice (editor)\n")
    alice = get_user_model().objects.get(username="alice")
    assert alice.check_password("a-long-test-passphrase-7")
    assert role_of(alice) == "editor"
    assert alice.has_perm("webui.act_on_requests") and not alice.has_perm("webui.review_facts")
    again = run("createuser", "alice", "--role", "viewer")
    assert (again.exit_code, again.stderr) == (1, "Error: user 'alice' already exists\n")


def test_createuser_asks_twice_and_checks_the_password(monkeypatch):
    from click.testing import CliRunner

    from sightline.cli.main import cli

    monkeypatch.delenv("SIGHTLINE_PASSWORD", raising=False)
    runner = CliRunner()
    good = "another-long-passphrase-9"
    result = runner.invoke(
        cli, ["createuser", "bob", "--role", "reviewer"], input=f"{good}\n{good}\n"
    )
    assert result.exit_code == 0
    assert result.stdout.endswith("Created user bob (reviewer)\n")
    assert role_of(get_user_model().objects.get(username="bob")) == "reviewer"
    weak = runner.invoke(cli, ["createuser", "carol", "--role", "viewer"], input="12345\n12345\n")
    assert weak.exit_code == 1
    assert weak.stderr.splitlines()[-1] == (
        "Error: password refused: This password is too short. It must contain at least 8 "
        "characters. This password is too common. This password is entirely numeric."
    )
    assert not get_user_model().objects.filter(username="carol").exists()


def test_createuser_refuses_an_unknown_role(run):
    result = run("createuser", "dave", "--role", "admin")
    assert result.exit_code == 2
    assert "'admin' is not one of 'owner', 'editor', 'reviewer', 'viewer'" in result.stderr


def test_serve_answers_on_loopback():
    server = make_server("127.0.0.1", 0)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/assets/app.css") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/css; charset=utf-8"

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as error:
            opener.open(f"http://127.0.0.1:{port}/")
        assert error.value.code == 302
        assert error.value.headers["Location"] == "/login/?next=/"
        error.value.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_loopback_addresses():
    assert [_is_loopback(h) for h in ("127.0.0.1", "localhost", "[::1]", "::1")] == [True] * 4
    assert [_is_loopback(h) for h in ("0.0.0.0", "192.168.1.2", "example.org")] == [False] * 3
