"""Fixtures for the mail tests: a data folder, the CLI, real SMTP servers (aiosmtpd) on loopback,
a small campaign, and a dovecot IMAP server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from sightline.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "fixture-secret"  # the fixture files' reply addresses carry MACs made with this
TRIO = {
    "S12000049": "foi@glasgow.gov.uk",  # Glasgow City Council -> CCTV-0001 (FOISA)
    "E09000007": "foi@camden.gov.uk",  # London Borough of Camden -> CCTV-0002
    "E09000012": "foi@hackney.gov.uk",  # London Borough of Hackney -> CCTV-0003
}
TEMPLATE = (
    "Dear {authority_name},\n\n"
    "Under {law_section} of the {law_name}, please tell me which companies made the CCTV "
    "cameras you own.\n\n{requester_name}\nReference {reference}\n"
)


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports: all are held open together while they are picked,
    so two picks in a row cannot land on the same port."""
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def free_port() -> int:
    return free_ports(1)[0]


@pytest.fixture
def unused_port() -> int:
    return free_port()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("SIGHTLINE_HOME", str(folder))
    for name in ("SIGHTLINE_SMTP_URL", "SIGHTLINE_IMAP_URL", "SIGHTLINE_REPLY_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def run(home: Path):
    """Invoke ``sightline ARGS`` in-process; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class RecordingHandler:
    """Accepts everything and keeps it; ``temporary`` RCPTs get 451 first, ``refuse`` get 550."""

    received: list[Received] = field(default_factory=list)
    temporary: dict[str, int] = field(default_factory=dict)  # address -> 451s still to give
    refuse: set[str] = field(default_factory=set)
    rcpt_attempts: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_attempts.append(address)
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if self.temporary.get(address, 0) > 0:
            self.temporary[address] -= 1
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return f"250 2.0.0 Ok: queued as TEST{len(self.received)}"


@dataclass
class SmtpServer:
    handler: RecordingHandler
    url: str


@pytest.fixture
def smtp_server():
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(handler, f"smtp://127.0.0.1:{port}")
    finally:
        controller.stop()


@pytest.fixture
def campaign(run, tmp_path: Path):
    """Campaign ``cctv`` to Glasgow, Camden and Hackney, replies to replies.example.org."""
    from sightline.authorities.registry import add_to_set
    from sightline.campaigns.models import Campaign

    assert run("init").exit_code == 0
    add_to_set("trio", list(TRIO), title="Three councils")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "gss_code,email\n" + "".join(f"{code},{email}\n" for code, email in TRIO.items())
    )
    assert run("contacts", "import", str(contacts)).exit_code == 0
    template = tmp_path / "request.txt"
    template.write_text(TEMPLATE)
    created = run(
        "campaign",
        "create",
        "cctv",
        "--set",
        "trio",
        "--template",
        str(template),
        "--title",
        "CCTV vendors",
        "--requester",
        "Alex Example",
        "--reply-domain",
        "replies.example.org",
    )
    assert created.exit_code == 0, created.stderr
    Campaign.objects.filter(slug="cctv").update(secret=SECRET)
    return Campaign.objects.get(slug="cctv")


@pytest.fixture
def sent_campaign(run, campaign, smtp_server):
    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert result.exit_code == 0, result.stderr
    return campaign


def write_maildir(folder: Path, names: list[str]) -> Path:
    """A maildir holding copies of the named fixture files."""
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(names):
        shutil.copy(FIXTURES / name, folder / "new" / f"17956860{number:02d}.M1P1.test")
    return folder


@pytest.fixture
def maildir(tmp_path: Path):
    def make(*names: str) -> Path:
        return write_maildir(tmp_path / "Maildir", list(names))

    return make


# dovecot: a throwaway IMAP server on loopback with one user, "foi", password "secret".

DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = {ssl}
{ssl_files}disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    port: int
    imaps_port: int = 0  # 0 when openssl is missing (no certificate, no imaps)
    certificate: Path | None = None
    user: str = "foi"
    password: str = "secret"

    def url(self, mailbox: str = "INBOX") -> str:
        return f"imap://{self.user}@127.0.0.1:{self.port}/{mailbox}"

    def append(self, *raws: bytes, mailbox: str = "INBOX") -> None:
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        for raw in raws:
            client.append(mailbox, raw)
        client.logout()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for 127.0.0.1, made with openssl (checked by the caller)."""
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, trusted through SIGHTLINE_TLS_CA_FILE."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    return self_signed_certificate(tmp_path)


@pytest.fixture
def dovecot():
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        pytest.skip("dovecot is not installed (Debian package dovecot-imapd)")
    # Not under pytest's 0700 temp folder: dovecot's own users must reach the passwd file.
    root = Path(tempfile.mkdtemp(prefix="sightline-dovecot-"))
    root.chmod(0o755)
    # dovecot refuses to serve mail as root; an unprivileged uid owns the mail when we are root.
    uid, gid = (65534, 65534) if os.getuid() == 0 else (os.getuid(), os.getgid())
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        os.chown(root / sub, uid, gid)
    (root / "passwd").write_text("foi:{PLAIN}secret\n")
    port, spare_port = free_ports(2)
    imaps_port, certificate, ssl_files = 0, None, ""
    if shutil.which("openssl"):
        certificate, key = self_signed_certificate(root)
        imaps_port = spare_port
        ssl_files = f"ssl_cert = <{certificate}\nssl_key = <{key}\n"
    config = root / "dovecot.conf"
    config.write_text(
        DOVECOT_CONF.format(
            root=root,
            uid=uid,
            gid=gid,
            port=port,
            imaps_port=imaps_port,
            ssl="yes" if imaps_port else "no",
            ssl_files=ssl_files,
        )
    )
    process = subprocess.Popen([binary, "-F", "-c", str(config)])
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log = (
                        (root / "dovecot.log").read_text()
                        if (root / "dovecot.log").exists()
                        else ""
                    )
                    pytest.fail(f"dovecot did not start: {log}")
                time.sleep(0.1)
        yield Dovecot(port, imaps_port, certificate)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def installed_sightline() -> str:
    """The `sightline` command installed beside this Python (the test skips where there is none)."""
    beside_python = Path(sys.executable).parent / "sightline"
    found = str(beside_python) if beside_python.exists() else shutil.which("sightline")
    if found is None:
        pytest.skip("the sightline command is not installed (pip install -e .)")
    return found


@pytest.fixture
def sightline(tmp_path: Path):
    """Runs the installed `sightline` command in a fresh data folder, with no database URL or
    mail server taken from the environment; ``.command`` and ``.env`` start it by hand."""
    executable = installed_sightline()
    env = dict(os.environ, SIGHTLINE_HOME=str(tmp_path / "command-home"))
    for name in ("DATABASE_URL", "SIGHTLINE_SMTP_URL", "SIGHTLINE_IMAP_URL"):
        env.pop(name, None)

    def command(*args: str) -> list[str]:
        return [executable, *args]

    def invoke(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command(*args), env=env, capture_output=True, text=True, timeout=300)

    invoke.command = command  # type: ignore[attr-defined]
    invoke.env = env  # type: ignore[attr-defined]
    return invoke
