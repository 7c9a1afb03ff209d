"""A simulated clock for generating demo history.

While the demo data is generated, `django.utils.timezone.now()` returns the instant of the story
being written (a registration two years ago, its counselling session the next day, ...), so the
services record realistic dates everywhere they read the clock: case and transition timestamps,
project-period gates, declaration and departure dates, and the audit events. Nothing in the
services changes. Only `seed_demo`, a single-threaded command, installs it; it never runs in a web
or worker process.
"""

import contextlib
import datetime

from django.utils import timezone


class SimulatedClock:
    def __init__(self):
        self._real_now = timezone.now
        self.at: datetime.datetime | None = None

    def __call__(self) -> datetime.datetime:
        return self.at if self.at is not None else self._real_now()

    @contextlib.contextmanager
    def installed(self):
        original = timezone.now
        timezone.now = self
        try:
            yield self
        finally:
            timezone.now = original
