"""The NautilusTrader side of the comparison: a real Strategy adapting the shared signal core.

Entry point: :func:`poc_nautilus.app.run` (``poc-eval run --platform nautilus``). Modules, one job
each: ``config`` (typed strategy configuration), ``venue`` (BINANCE spot, BTCUSDT), ``inputs``
(validation before any engine), ``quotes`` (quote batches to ticks), ``strategy`` (``Q50Strategy``),
``events`` (journal semantics), ``replay`` (``BacktestEngine``), ``live_feed`` + ``live``
(``TradingNode``, replay data client, Sandbox venue), ``reports`` (Nautilus' own reports).
"""

import shared_signals  # noqa: F401 - first: it selects pyarrow's allocator before pyarrow loads (arrow_memory)
