"""``run-both --sensitivity``: the comparison's columns, and beside them one column per harness setting a
user could reasonably choose otherwise and per column it can change, all run at once in one run folder.

The settings and their other values are the registry's (each key's ``alternatives``: a platform's clock
tick, the fill delay, the venue model, the quote-age limit). Each such column is an ordinary named variant
(the column's own variant settings plus that one key), so it is checked and run like any other.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import replace

from evaluator.commands.columns import current_value, parse_value, plan_columns
from evaluator.harness.comparison import Columns
from shared_signals.contract.modes import REPLAY
from shared_signals.contract.platforms import REGISTRY, SHARED_KEYS, PlatformEntry, SettingKey
from shared_signals.contract.record import Alternative, ColumnRecord
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.spec import RunSpec
from shared_signals.errors import InputError
from shared_signals.quotes import QuoteSpan

MAX_NAME = 32


def column_name(column: str, key: str, value: str, taken: set[str]) -> str:
    """The name of ``column`` run with ``key=value``: readable when it fits a column name, numbered when not."""
    name = f"{column}-{key}-{re.sub('[^a-z0-9]', '', value.lower())}"
    if len(name) > MAX_NAME or name in taken:
        name = next(f"{column[:MAX_NAME - 5]}-s{i}" for i in range(1, 1000) if f"{column[:MAX_NAME - 5]}-s{i}" not in taken)
    return name


def _changes(spec: RunSpec, record: ColumnRecord, entry: PlatformEntry, key: SettingKey, value: str,
             span: QuoteSpan | None) -> bool | None:
    """Whether ``key=value`` can change this column: None when the key is not one of its platform's or
    the value is the column's own (no alternative at all)."""
    if key not in entry.keys and key not in SHARED_KEYS:
        return None
    own, other = current_value(spec, entry, key), parse_value(entry, key, value)
    if other == own:
        return None
    if spec.mode == REPLAY and key.replay_changes_only is not None and record.acts_on != key.replay_changes_only:
        return False
    if key.limits_quote_age and span is not None:
        oldest_s = max(span.longest_gap_ns / NANOS_PER_SECOND, record.tick_s or 0.0)
        if oldest_s <= min(own, other):
            return False
    return True


def sensitivity_columns(args: argparse.Namespace, base: RunSpec, columns: Columns, span: QuoteSpan | None) -> Columns:
    """``columns`` and, for each key with alternatives and each of its values that differs, the columns
    run with that value (named ``<column>-<key>-<value>``), recorded as the run's alternatives. A value
    that cannot change a column (``span``: the quotes, for a limit on their age) keeps the column."""
    if base.mode != REPLAY:
        raise InputError("--sensitivity: replay only (each setting is a column of one run, and a live run's columns "
                         "would share the wall clock and the cores for the whole duration)")
    taken = set(columns.names)
    variants, names, alternatives = list(args.variant), list(columns.names), []
    keys = {k.key: k for entry in REGISTRY.values() for k in entry.keys if k.alternatives} | {k.key: k for k in SHARED_KEYS if k.alternatives}
    for key in keys.values():
        for value in key.alternatives:
            rerun, unchanged = [], []
            for spec, record in zip(columns.specs, columns.records, strict=True):
                entry = REGISTRY[record.platform]
                changes = _changes(spec, record, entry, key, value, span)
                if changes is None:
                    continue
                if not changes:
                    unchanged.append(record.name)
                    continue
                name = column_name(record.name, key.key, value, taken)
                taken.add(name)
                own = [f"{s.key}={s.value}" for s in record.changed if s.source == "variant" and s.key != key.key]
                variants.append(",".join([f"{name}={record.platform}", *own, f"{key.key}={value}"]))
                names.append(name)
                rerun.append((record.name, name))
            if rerun or unchanged:
                alternatives.append(Alternative(key.key, value, tuple(rerun), tuple(unchanged)))
    planned = plan_columns(argparse.Namespace(**{**vars(args), "variant": variants, "platforms": names,
                                                 "baseline": columns.baseline}), base)
    return replace(planned, alternatives=tuple(alternatives))
