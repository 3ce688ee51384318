"""pyarrow's allocator, chosen before pyarrow loads.

pyarrow's default pool (mimalloc) keeps the pages of every freed record batch to itself. A streamed
replay then held about 20 MB of decoded quote batches that nothing used, and its resident memory
took two days of quotes to level off. From the system allocator, the next batch and the platform's
own objects reuse those pages. pyarrow reads the choice once, when it loads, so ``shared_signals``
makes it first thing on import and the project's other packages import ``shared_signals`` first. A
user's own ``ARROW_DEFAULT_MEMORY_POOL`` wins, and child processes (the platforms under
``run-both``) inherit it.
"""

from __future__ import annotations

import os

ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
ARROW_POOL = "system"


def select_arrow_pool() -> None:
    """Sets ``ARROW_DEFAULT_MEMORY_POOL`` unless the user did; no effect once pyarrow is loaded."""
    os.environ.setdefault(ARROW_POOL_VARIABLE, ARROW_POOL)
