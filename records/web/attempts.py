"""How many password checks a key (an address, an address and a login, an account) may still have.

Flask-Limiter counts a failed login only after its answer (`deduct_when`), so requests sent at
once all pass its check before the first failure is counted: 25 parallel guesses got 11 checks
where 5 are allowed. Here an attempt is counted when it starts and given back only if the
password was right, under one lock: however many arrive together, at most the limit are checked.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_PRUNE_ABOVE = 10_000  # keys kept before the expired ones are dropped (many logins tried)


class TooMany(Exception):
    """Too many password checks for now (the page answers 429)."""


class Attempts:
    """Password checks per key in the last `window` seconds; a right password gives its back."""

    def __init__(self, window: float = 60.0) -> None:
        self.window = window
        self._lock = threading.Lock()
        self._started: dict[str, deque[float]] = {}

    @contextmanager
    def attempt(self, *limits: tuple[str, int]) -> Iterator[Callable[[], None]]:
        """One check counted against each `(key, limit)`; yields `succeeded`, to call when the
        password was right. Raises `TooMany`, counting nothing, when a key has used its limit."""
        with self._lock:
            now = time.monotonic()
            if len(self._started) > _PRUNE_ABOVE:
                for key in list(self._started):
                    self._expire(key, now)
            for key, limit in limits:
                if len(self._expire(key, now)) >= limit:
                    raise TooMany
            for key, _ in limits:
                self._started.setdefault(key, deque()).append(now)
        right = False

        def succeeded() -> None:
            nonlocal right
            right = True

        try:
            yield succeeded
        finally:
            if right:
                with self._lock:
                    for key, _ in limits:
                        started = self._started.get(key)
                        if started is not None and now in started:
                            started.remove(now)

    def _expire(self, key: str, now: float) -> deque[float]:
        started = self._started.get(key, deque())
        while started and started[0] <= now - self.window:
            started.popleft()
        if not started:
            self._started.pop(key, None)
        return started
