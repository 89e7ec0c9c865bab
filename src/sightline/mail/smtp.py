"""Sending one message over SMTP, with STARTTLS/login when the URL asks, a rate limit, and
retries with back-off for temporary (4xx) failures (RFC 5321 4.2.1: 4yz is transient, 5yz is
permanent).

At most once: once the message's content and its final ``.`` have been handed to the server
(RFC 5321 4.1.1.4), the server may have taken responsibility for it even if its answer never
arrives (a dropped connection, a timeout). Such an attempt is *uncertain*: it is never retried
by itself, and waits for a person to say whether it went (RFC 5321 6.1 explains why a client
cannot know; the duplicate it would risk is the worse failure for a request letter).

URLs: ``smtp://host:port`` (plain), ``smtp+starttls://user@host:port`` (STARTTLS, then login),
``smtps://user@host:port`` (TLS from the start). The password comes from the environment
(``SIGHTLINE_SMTP_PASSWORD``), never from the URL in a shell history.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sightline.errors import SightlineError

SCHEMES = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}


class SmtpUrlError(SightlineError, ValueError):
    pass


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # plain, starttls, tls
    username: str = ""
    password: str = ""
    ca_file: str = ""  # trust this CA as well (a self-signed relay, tests)
    timeout: float = 60.0

    def describe(self) -> str:
        user = f"{self.username}@" if self.username else ""
        return f"{self.security} {user}{self.host}:{self.port}"


def parse_smtp_url(url: str, password: str = "", ca_file: str = "") -> SmtpSettings:
    parts = urlsplit(url)
    security = SCHEMES.get(parts.scheme.lower())
    if security is None:
        raise SmtpUrlError(
            f"unsupported SMTP URL scheme {parts.scheme!r} in {url!r}: "
            f"use {', '.join(s + '://' for s in SCHEMES)}"
        )
    if not parts.hostname:
        raise SmtpUrlError(f"no host in SMTP URL {url!r}")
    try:
        port = parts.port or DEFAULT_PORTS[security]
    except ValueError:
        raise SmtpUrlError(f"bad port in SMTP URL {url!r}") from None
    username = unquote(parts.username or "")
    password = password or unquote(parts.password or "")
    if username and not password:
        raise SmtpUrlError(f"SMTP URL names user {username!r}: set SIGHTLINE_SMTP_PASSWORD")
    return SmtpSettings(parts.hostname, port, security, username, password, ca_file)


def configured_smtp(url: str = "") -> SmtpSettings:
    """The SMTP server: ``url`` (a --smtp option) or SIGHTLINE_SMTP_URL, with the password
    and CA file from the settings (sightline.config)."""
    from sightline.config import settings

    current = settings()
    url = url or current.smtp_url
    if not url:
        raise SmtpUrlError("no SMTP server: give --smtp URL or set SIGHTLINE_SMTP_URL")
    return parse_smtp_url(url, password=current.smtp_password, ca_file=current.tls_ca_file)


@dataclass(frozen=True)
class Outcome:
    """The result of one delivery attempt."""

    # "sent", "temporary", "permanent", "uncertain" (the content went, no answer came back),
    # or "skipped" (another sender has it)
    status: str
    code: int | None
    answer: str  # the server's reply text, or what happened, in Sightline's words
    detail: str = ""  # the library's own description of a connection error, for a bug report

    @property
    def sent(self) -> bool:
        return self.status == "sent"


class SmtpSetupError(SightlineError, RuntimeError):
    """The relay refused our login or lacks what the URL asks for (STARTTLS, AUTH): nothing can
    be sent until the configuration is fixed, so this stops a run instead of failing requests."""


class SmtpUnreachableError(SmtpSetupError):
    """The relay cannot be reached at all (refused, no answer, not an SMTP server)."""


def _answer(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())


def _detail(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _connection_trouble(error: BaseException) -> str:
    """A connection failure described in Sightline's words."""
    # smtplib turns a timeout while reading an answer into "disconnected": the cause says more.
    cause = error.__cause__ or error.__context__
    if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(cause, OSError):
        error = cause
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "the SMTP server did not answer in time"
    if isinstance(error, ConnectionRefusedError):
        return "the SMTP server refused the connection"
    if isinstance(error, ssl.SSLError):
        return "the TLS handshake with the SMTP server failed"
    if isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError)):
        return "the SMTP server closed the connection"
    return "the connection to the SMTP server failed"


# RFC 5321 4.5.2: a line of the content that starts with "." gets another "." in front.
_LEADING_DOT = re.compile(rb"(?m)^\.")
_LINE_END = re.compile(rb"\r\n|\n|\r(?!\n)")


class SmtpConnection:
    """One connection to the relay, opened on first use and reopened after a drop."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.ca_file:
            context.load_verify_locations(self.settings.ca_file)
        return context

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def check(self) -> None:
        """Connect (with TLS and login as the URL asks) and say hello, or raise
        ``SmtpSetupError``: run before anything is queued, so a wrong host or port stops a run
        with nothing sent."""
        try:
            if self._smtp is None:
                self._smtp = self._open()
            code, _ = self._smtp.noop()
        except smtplib.SMTPAuthenticationError as error:
            self._drop()
            raise self._login_refused(error) from None
        except smtplib.SMTPNotSupportedError as error:
            self._drop()
            raise self._unsupported(error) from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise SmtpUnreachableError(
                f"cannot reach the SMTP server {self.settings.describe()}: "
                f"{_connection_trouble(error)}; nothing was sent",
                detail=_detail(error),
            ) from None
        if code != 250:
            self._drop()
            raise SmtpUnreachableError(
                f"the SMTP server {self.settings.describe()} answered {code} to a test command; "
                "nothing was sent"
            )

    def _login_refused(self, error: smtplib.SMTPAuthenticationError) -> SmtpSetupError:
        # The server's own answer is shown, as for any refusal: it is the relay's word.
        return SmtpSetupError(
            f"SMTP login to {self.settings.describe()} refused: "
            f"{error.smtp_code} {_answer(error.smtp_error)}"
        )

    def _unsupported(self, error: smtplib.SMTPNotSupportedError) -> SmtpSetupError:
        wanted = "STARTTLS" if self.settings.security == "starttls" else "login (AUTH)"
        return SmtpSetupError(
            f"the SMTP server {self.settings.describe()} does not offer {wanted}, "
            "which the URL asks for",
            detail=_detail(error),
        )

    def deliver(self, envelope_from: str, recipient: str, data: bytes) -> Outcome:
        """Try once: MAIL, RCPT, DATA; classify the server's answer as sent, temporary or
        permanent, or ``uncertain`` when the content went and no answer came back."""
        content_sent = False
        try:
            if self._smtp is None:
                self._smtp = self._open()
            smtp = self._smtp
            code, answer = smtp.mail(envelope_from)
            if code < 400:
                code, answer = smtp.rcpt(recipient)
            if code >= 400:
                smtp.rset()
                return self._failed(code, _answer(answer))
            smtp.putcmd("data")
            code, answer = smtp.getreply()
            if code != 354:  # RFC 5321 4.1.1.4: the server must say "go ahead" first
                smtp.rset()
                return self._failed(code if code >= 400 else 451, _answer(answer))
            content = _LEADING_DOT.sub(b"..", _LINE_END.sub(b"\r\n", data))
            if not content.endswith(b"\r\n"):
                content += b"\r\n"
            content_sent = True  # from here on, the server may have the whole message
            smtp.send(content + b".\r\n")
            code, answer = smtp.getreply()
            if code >= 400:
                return self._failed(code, _answer(answer))
            return Outcome("sent", code, _answer(answer))
        except smtplib.SMTPAuthenticationError as error:
            self._drop()
            raise self._login_refused(error) from None
        except smtplib.SMTPNotSupportedError as error:
            self._drop()
            raise self._unsupported(error) from None
        except smtplib.SMTPResponseException as error:
            self._drop()
            return self._failed(error.smtp_code, _answer(error.smtp_error))
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            if content_sent:
                return Outcome(
                    "uncertain",
                    None,
                    f"{_connection_trouble(error)} after the message was handed over; "
                    "it may have gone",
                    _detail(error),
                )
            # Refused, dropped or a TLS failure before the content went: safe to try again.
            return Outcome("temporary", None, _connection_trouble(error), _detail(error))

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    @staticmethod
    def _failed(code: int, answer: str) -> Outcome:
        return Outcome("temporary" if 400 <= code < 500 else "permanent", code, answer)


class RateLimiter:
    """At most ``per_minute`` messages in any sixty seconds (a sliding window, so a small batch
    goes at once and a large one is spread out); the clock is injectable for tests."""

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("the rate must be a positive number of messages per minute")
        self.per_minute = per_minute
        self.clock, self.sleep = clock, sleep
        self._sent: deque[float] = deque()

    def wait(self) -> None:
        """Block until one more message may go, and count it."""
        now = self.clock()
        while self._sent and self._sent[0] <= now - 60.0:
            self._sent.popleft()
        if len(self._sent) >= self.per_minute:
            pause = self._sent[0] + 60.0 - now
            self.sleep(pause)
            now += pause
            self._sent.popleft()
        self._sent.append(now)


def backoff_delays(attempts: int, first: float) -> list[float]:
    """Pauses between ``attempts`` tries: first, 2x, 4x... (exponential back-off)."""
    return [first * 2**n for n in range(max(attempts - 1, 0))]
