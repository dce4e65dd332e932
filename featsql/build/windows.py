"""Event-time windows: half-open ``[start, end)`` intervals aligned to the Unix epoch (UTC)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

EPOCH = _dt.datetime(1970, 1, 1)
_US = _dt.timedelta(microseconds=1)


@dataclass(frozen=True, order=True)
class Window:
    """One half-open window ``[start, end)`` of naive UTC datetimes."""

    start: _dt.datetime
    end: _dt.datetime

    def __str__(self) -> str:
        return f"[{self.start.isoformat(sep=' ')}, {self.end.isoformat(sep=' ')})"


def _micros(seconds: float) -> int:
    return int(round(seconds * 1_000_000))


def floor_to(value: _dt.datetime, seconds: float) -> _dt.datetime:
    """The start of the window holding ``value``."""
    width = _micros(seconds)
    return EPOCH + ((value - EPOCH) // _US // width * width) * _US


def bucket_start(bucket: int, seconds: float) -> _dt.datetime:
    """The start of window number ``bucket`` (``floor(epoch seconds / window seconds)``)."""
    return EPOCH + bucket * _micros(seconds) * _US


def windows_between(start: _dt.datetime, end: _dt.datetime, seconds: float) -> tuple[Window, ...]:
    """The aligned windows covering ``[start, end)``: start is floored, end rounded up."""
    width = _dt.timedelta(microseconds=_micros(seconds))
    current = floor_to(start, seconds)
    out = []
    while current < end:
        out.append(Window(current, current + width))
        current += width
    return tuple(out)
