"""Reading an IMAP mailbox with imapclient: new messages only, by UID (RFC 3501 2.3.1.1).

UIDs are only meaningful with the mailbox's UIDVALIDITY; when that changes the server has
renumbered the mailbox, so everything is read again (import de-duplicates by content).
URLs: ``imaps://user@host[:port]/MAILBOX`` (TLS), ``imap+starttls://...``, ``imap://...`` (plain,
for loopback). The password comes from ``SIGHTLINE_IMAP_PASSWORD``.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from sightline.errors import SightlineError

SCHEMES = {"imap": "plain", "imap+starttls": "starttls", "imaps": "tls"}
DEFAULT_PORTS = {"plain": 143, "starttls": 143, "tls": 993}
FETCH_BATCH = 100


class ImapError(SightlineError, RuntimeError):
    """The mailbox cannot be read; the message says at which step, the server's words are in
    ``detail``."""


def _connect_problem(error: BaseException) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return "the server's TLS certificate could not be verified (set SIGHTLINE_TLS_CA_FILE?)"
    if isinstance(error, ssl.SSLError):
        return "the TLS handshake failed"
    if isinstance(error, ConnectionRefusedError):
        return "the connection was refused (is the host and port right?)"
    if isinstance(error, TimeoutError):
        return "the server did not answer in time"
    return "the server could not be reached"


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str
    username: str
    password: str
    mailbox: str
    ca_file: str = ""

    @property
    def key(self) -> str:
        return f"{self.username}@{self.host}:{self.port}/{self.mailbox}"


def parse_imap_url(url: str, password: str, ca_file: str = "") -> ImapSettings:
    parts = urlsplit(url)
    security = SCHEMES.get(parts.scheme.lower())
    if security is None:
        raise ImapError(
            f"unsupported IMAP URL scheme {parts.scheme!r} in {url!r}: "
            f"use {', '.join(s + '://' for s in SCHEMES)}"
        )
    if not parts.hostname or not parts.username:
        raise ImapError(f"IMAP URL {url!r} needs a user and a host: imaps://user@host/INBOX")
    try:
        port = parts.port or DEFAULT_PORTS[security]
    except ValueError:
        raise ImapError(f"bad port in IMAP URL {url!r}") from None
    password = password or unquote(parts.password or "")
    if not password:
        raise ImapError("set SIGHTLINE_IMAP_PASSWORD to the mailbox password")
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapSettings(
        parts.hostname, port, security, unquote(parts.username), password, mailbox, ca_file
    )


def configured_imap(url: str = "") -> ImapSettings:
    """The mailbox: ``url`` (an --imap option) or SIGHTLINE_IMAP_URL, with the password and CA
    file from the settings (sightline.config)."""
    from sightline.config import settings

    current = settings()
    url = url or current.imap_url
    if not url:
        raise ImapError("no IMAP mailbox: give --imap URL or set SIGHTLINE_IMAP_URL")
    return parse_imap_url(url, current.imap_password, current.tls_ca_file)


@dataclass(frozen=True)
class MailboxBatch:
    uidvalidity: int
    uids: list[int]
    messages: list[tuple[int, bytes]]


class ImapMailbox:
    """One logged-in, read-only view of a mailbox."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self.client: IMAPClient | None = None
        self.uidvalidity = 0

    def __enter__(self) -> ImapMailbox:
        s = self.settings
        context = ssl.create_default_context()
        if s.ca_file:
            context.load_verify_locations(s.ca_file)
        try:
            client = IMAPClient(
                s.host, port=s.port, ssl=s.security == "tls", ssl_context=context, timeout=60
            )
        except (IMAPClientError, OSError, ssl.SSLError) as error:
            raise ImapError(f"IMAP {s.key}: {_connect_problem(error)}", detail=str(error)) from None
        step = "STARTTLS failed"
        try:
            if s.security == "starttls":
                client.starttls(context)
            step = "the server refused the login (user name or SIGHTLINE_IMAP_PASSWORD)"
            client.login(s.username, s.password)
            step = f"the mailbox {s.mailbox!r} cannot be opened"
            selected = client.select_folder(s.mailbox, readonly=True)
        except (IMAPClientError, OSError, ssl.SSLError) as error:
            with contextlib.suppress(IMAPClientError, OSError):
                client.shutdown()
            if isinstance(error, OSError):  # the connection itself failed, not the server
                step = _connect_problem(error)
            raise ImapError(f"IMAP {s.key}: {step}", detail=str(error)) from None
        self.client = client
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            with contextlib.suppress(IMAPClientError, OSError):
                self.client.logout()
            self.client = None

    def new_uids(self, after: int) -> list[int]:
        assert self.client is not None
        # "n:*" always includes the highest UID even when it is below n, hence the filter.
        found = self.client.search(["UID", f"{after + 1}:*"])
        return sorted(int(uid) for uid in found if int(uid) > after)

    def fetch(self, uids: list[int]) -> Iterator[tuple[int, bytes]]:
        """The raw bytes of each message, in batches; PEEK leaves the \\Seen flag alone."""
        assert self.client is not None
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start : start + FETCH_BATCH]
            try:
                data = self.client.fetch(batch, ["BODY.PEEK[]"])
            except (IMAPClientError, OSError) as error:
                raise ImapError(
                    f"IMAP {self.settings.key}: the connection broke while fetching messages",
                    detail=str(error),
                ) from None
            for uid in batch:
                entry = data.get(uid)
                if entry is not None and b"BODY[]" in entry:
                    yield uid, bytes(entry[b"BODY[]"])
