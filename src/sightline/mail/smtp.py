"""Sending one message over SMTP, with STARTTLS/login when the URL asks, a rate limit, and
retries with back-off for temporary (4xx) failures (RFC 5321 4.2.1: 4yz is transient, 5yz is
permanent).

URLs: ``smtp://host:port`` (plain), ``smtp+starttls://user@host:port`` (STARTTLS, then login),
``smtps://user@host:port`` (TLS from the start). The password comes from the environment
(``SIGHTLINE_SMTP_PASSWORD``), never from the URL in a shell history.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}


class SmtpUrlError(ValueError):
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


@dataclass(frozen=True)
class Outcome:
    """The result of one delivery attempt."""

    status: str  # "sent", "temporary", "permanent" (or "skipped": another sender has it)
    code: int | None
    answer: str  # the server's reply text, or the connection error

    @property
    def sent(self) -> bool:
        return self.status == "sent"


class SmtpSetupError(RuntimeError):
    """The relay refused our login or lacks what the URL asks for (STARTTLS, AUTH): nothing can
    be sent until the configuration is fixed, so this stops a run instead of failing requests."""


def _answer(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())


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

    def deliver(self, envelope_from: str, recipient: str, data: bytes) -> Outcome:
        """Try once: MAIL, RCPT, DATA; classify the server's answer as sent/temporary/permanent."""
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
            code, answer = smtp.data(data)
            if code >= 400:
                return self._failed(code, _answer(answer))
            return Outcome("sent", code, _answer(answer))
        except smtplib.SMTPAuthenticationError as error:
            self._drop()
            raise SmtpSetupError(
                f"SMTP login to {self.settings.describe()} refused: "
                f"{error.smtp_code} {_answer(error.smtp_error)}"
            ) from None
        except smtplib.SMTPNotSupportedError as error:
            self._drop()
            raise SmtpSetupError(f"SMTP server {self.settings.describe()}: {error}") from None
        except smtplib.SMTPResponseException as error:
            self._drop()
            return self._failed(error.smtp_code, _answer(error.smtp_error))
        except (smtplib.SMTPException, OSError) as error:
            self._drop()  # connection refused, dropped, TLS failure: worth another try later
            return Outcome("temporary", None, f"{type(error).__name__}: {error}")

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
