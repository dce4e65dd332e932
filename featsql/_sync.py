"""Run featsql's async API from synchronous code (scripts, and notebooks with a running loop)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from typing import Any, Coroutine, TypeVar

T = TypeVar("T")

# True while a coroutine runs on run_sync's own event loop: nothing else runs on that loop and the
# caller is waiting anyway, so an engine may make its blocking call right there instead of handing
# it to a worker thread (which costs a thread hop and, for 1M-row results, fresh memory).
_PRIVATE_LOOP: ContextVar[bool] = ContextVar("featsql_private_loop", default=False)


def blocking_allowed() -> bool:
    """Whether the running coroutine is on :func:`run_sync`'s private loop (blocking calls are fine)."""
    return _PRIVATE_LOOP.get()


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion; inside a running event loop, on a worker thread's own loop."""
    box: list[T] = []

    async def main() -> None:
        # The result is handed over through ``box``, not as the task's result: on Python 3.11,
        # asyncio.run formats repr(main task) when it restores the SIGINT handler, and the repr of
        # a task holding a 1,000,000-row DataFrame costs as much as fetching it (~70 ms).
        _PRIVATE_LOOP.set(True)
        box.append(await coro)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(main())
        return box[0]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()
    return box[0]
