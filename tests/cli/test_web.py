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


NO_TLS = ("SIGHTLINE_TLS_CERT_FILE", "SIGHTLINE_TLS_KEY_FILE", "SIGHTLINE_TLS_PROXY")


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_serve_refuses_another_address_without_tls(run, monkeypatch, host):
    for name in NO_TLS:
        monkeypatch.delenv(name, raising=False)
    result = run("serve", "--host", host, "--port", "0")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: --host {host} is not a loopback address, and the connection would not be "
        "encrypted: set SIGHTLINE_TLS_CERT_FILE and SIGHTLINE_TLS_KEY_FILE (serve HTTPS here), "
        "or SIGHTLINE_TLS_PROXY=1 (an HTTPS proxy in front)\n"
    )


def test_half_a_tls_setting_is_named(run, monkeypatch, tmp_path):
    monkeypatch.delenv("SIGHTLINE_TLS_KEY_FILE", raising=False)
    monkeypatch.setenv("SIGHTLINE_TLS_CERT_FILE", str(tmp_path / "cert.pem"))
    result = run("serve", "--host", "0.0.0.0", "--port", "0")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: SIGHTLINE_TLS_CERT_FILE is set but SIGHTLINE_TLS_KEY_FILE is not: set both, "
        "or neither\n",
    )


def test_an_unusable_certificate_is_named(run, monkeypatch, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("not a certificate\n")
    key.write_text("not a key\n")
    monkeypatch.setenv("SIGHTLINE_TLS_CERT_FILE", str(cert))
    monkeypatch.setenv("SIGHTLINE_TLS_KEY_FILE", str(key))
    result = run("serve", "--host", "127.0.0.1", "--port", "0")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: cannot use SIGHTLINE_TLS_CERT_FILE {cert} with SIGHTLINE_TLS_KEY_FILE {key}: "
        "give a PEM certificate and its private key\n",
    )


def _self_signed(folder):
    """A certificate for 127.0.0.1 and its key, made here (cryptography's x509 builder)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def test_serve_speaks_https_with_a_certificate(tmp_path):
    import ssl

    from sightline.cli.web import tls_context

    cert_file, key_file = _self_signed(tmp_path)
    server = make_server("127.0.0.1", 0, tls_context(str(cert_file), str(key_file)))
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        trusting = ssl.create_default_context(cafile=str(cert_file))
        url = f"https://127.0.0.1:{port}/login/"
        with urllib.request.urlopen(url, context=trusting) as response:
            assert response.status == 200
            assert b'name="csrfmiddlewaretoken"' in response.read()
        with pytest.raises(OSError):  # plain HTTP gets no page
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
