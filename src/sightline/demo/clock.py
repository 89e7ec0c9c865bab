"""The demo's simulated clock: weeks of an investigation pass in seconds.

Everything in Sightline asks ``django.utils.timezone.now()`` for the time, so the demo sets that
to the simulated moment while each phase runs, and puts the real clock back afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def simulated_time(moment: dt.datetime) -> Iterator[None]:
    real_now = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.now = real_now  # type: ignore[assignment]


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
