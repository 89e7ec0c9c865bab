"""Throttling failed logins by client address and by user name, without a lock-out by strangers.

Two counts, both read from the audit trail (``login_failed`` entries within the window):

- **By address: a lock.** After ``ADDRESS_FAILURES_ALLOWED`` failures from one client address
  within ``WINDOW``, that address may not try any user name until the window has passed. Spraying
  one password over many user names is stopped here, and whoever guesses locks only themselves.
- **By user name: a delay, never a lock.** After ``NAME_FAILURES_FREE`` failures for one user name
  (from any address) within the window, each further password check for that name waits until
  a delay has passed since the name's last failure: 1 s, 2 s, 4 s... doubling up to
  ``NAME_DELAY_MAX``. Guessing one name from many addresses slows to a few tries a minute, and
  the real user waits at most ``NAME_DELAY_MAX`` seconds. From an address where that user logged
  in successfully within ``KNOWN_ADDRESS_DAYS``, there is no delay at all.

An attempt refused by either rule checks no password and so counts as no failure: nothing a
stranger does keeps a user out for longer than the delay. OWASP's Authentication Cheat Sheet
("Protect Against Automated Attacks", "Account Lockout") describes both kinds of throttle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max

from sightline.webui import audit
from sightline.webui.models import AuditEntry

WINDOW = timedelta(minutes=15)
ADDRESS_FAILURES_ALLOWED = 10
NAME_FAILURES_FREE = 5
NAME_DELAY_MAX = 30  # seconds
KNOWN_ADDRESS_DAYS = 30


@dataclass(frozen=True)
class Refusal:
    """Why a login attempt is refused without checking its password."""

    by: str  # "address" or "name"
    wait: int  # seconds until an attempt is checked again

    @property
    def message(self) -> str:
        if self.by == "address":
            minutes = max(1, math.ceil(self.wait / 60))
            return (
                "Too many failed logins from your address: try again in "
                f"{minutes} minute{'s' if minutes != 1 else ''}."
            )
        return (
            "Too many failed logins for this user name: wait "
            f"{self.wait} second{'s' if self.wait != 1 else ''} and try again."
        )


def name_delay(failures: int) -> int:
    """Seconds to wait after the last failure, once a name has ``failures`` recent ones."""
    if failures < NAME_FAILURES_FREE:
        return 0
    return int(min(2 ** (failures - NAME_FAILURES_FREE), NAME_DELAY_MAX))


def check(username: str, address: str) -> Refusal | None:
    """None when this attempt may check its password, else why not."""
    moment = audit.now()
    recent = AuditEntry.objects.filter(action="login_failed", at__gte=moment - WINDOW)
    if address:
        from_here = recent.filter(address=address)
        if from_here.count() >= ADDRESS_FAILURES_ALLOWED:
            # The lock lasts until the oldest counted failure leaves the window.
            counted = from_here.order_by("-at").values_list("at", flat=True)
            oldest = counted[ADDRESS_FAILURES_ALLOWED - 1]
            return Refusal("address", _seconds(oldest + WINDOW - moment))
    name = username[:150]
    summary = recent.filter(username=name).aggregate(last=Max("at"))
    failures = recent.filter(username=name).count()
    delay = name_delay(failures)
    if delay and summary["last"] is not None and not known_address(name, address, moment):
        remaining = summary["last"] + timedelta(seconds=delay) - moment
        if remaining > timedelta(0):
            return Refusal("name", _seconds(remaining))
    return None


def known_address(username: str, address: str, moment: datetime) -> bool:
    """Whether ``username`` logged in successfully from ``address`` recently."""
    if not address:
        return False
    return AuditEntry.objects.filter(
        action="login",
        username=username,
        address=address,
        at__gte=moment - timedelta(days=KNOWN_ADDRESS_DAYS),
    ).exists()


def _seconds(span: timedelta) -> int:
    return max(1, math.ceil(span.total_seconds()))
