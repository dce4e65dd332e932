"""Run featsql's async API from synchronous code (scripts, and notebooks with a running loop)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Coroutine, TypeVar

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion; inside a running event loop, on a worker thread's own loop."""
    box: list[T] = []

    async def main() -> None:
        # The result is handed over through ``box``, not as the task's result: on Python 3.11,
        # asyncio.run formats repr(main task) when it restores the SIGINT handler, and the repr of
        # a task holding a 1,000,000-row DataFrame costs as much as fetching it (~70 ms).
        box.append(await coro)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(main())
        return box[0]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()
    return box[0]
