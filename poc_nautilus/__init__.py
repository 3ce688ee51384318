"""The NautilusTrader side of the comparison: a real Strategy adapting the shared signal core.

Entry point: :func:`poc_nautilus.app.run` (``poc-eval run --platform nautilus``). Modules, one job
each: ``config`` (typed strategy configuration), ``venue`` (BINANCE spot, BTCUSDT), ``inputs``
(validation before any engine), ``quotes`` (quote batches to ticks), ``strategy`` (``Q50Strategy``),
``events`` (journal semantics), ``replay`` (``BacktestEngine``), ``live_feed`` + ``live``
(``TradingNode``, replay data client, Sandbox venue), ``reports`` (Nautilus' own reports).
"""

from shared_signals.arrow_memory import select_arrow_pool

select_arrow_pool()
