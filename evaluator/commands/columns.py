"""The columns of a comparison: which platforms, which named variants of them, and each one's settings.

A column is a platform with its own settings: the platform's defaults, its settings file, its flags
(a clock tick, an order type: whatever its registry entry declares), and for a named variant
(``--variant NAME=PLATFORM,KEY=VALUE``) the variant's values on top. Every key is one the platform's registry entry declares (or a venue key
every platform takes), its value parsed by the field's type and checked with the range its settings
type states, so a bad variant is one line before anything runs. ``--run-config FILE`` holds the
same choices as a JSON file; the command line wins where both say something.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

import msgspec

from shared_signals.durations import parse_duration_ns
from evaluator.commands.json_files import read_json_object
from evaluator.harness.comparison import Columns, column_record, complete_settings
from evaluator.harness.platform_code import settings_type
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.config import RiskLimits
from shared_signals.contract.platforms import (
    DEFAULT_PLATFORMS,
    GATE_KEYS,
    PLATFORM_NAMES,
    REGISTRY,
    SHARED_KEYS,
    VENUE_KEYS,
    PlatformEntry,
    SettingKey,
)
from shared_signals.contract.record import Setting
from shared_signals.contract.spec import RunSpec, VenueSpec, check_column_name
from shared_signals.errors import InputError

RUN_CONFIG_KEYS = ("platforms", "baseline", "variants")


def _example() -> tuple[str, str, str]:
    """A variant to show in the help: (name, platform, KEY=VALUE), from the first platform with a duration key."""
    entry = next(e for e in REGISTRY.values() if any(k.duration for k in e.keys))
    key = next(k for k in entry.keys if k.duration)
    return f"{entry.name}-fast", entry.name, f"{key.key}=100ms"


EXAMPLE = _example()


def add_column_options(parser: argparse.ArgumentParser, several: bool = True) -> None:
    """``--platforms``, ``--variant``, ``--baseline`` and ``--run-config``; ``several`` is off for a
    command that runs one column (``run --platform``)."""
    if several:
        parser.add_argument("--platforms", nargs="+", default=None, metavar="NAME",
                            help=f"the columns to run: platforms ({', '.join(PLATFORM_NAMES)}) and named variants "
                            f"(default {' '.join(DEFAULT_PLATFORMS)}, then every variant defined)")
        parser.add_argument("--baseline", default=None, metavar="NAME",
                            help="the column every pairwise figure (agreement, attribution, differences) is measured "
                            "against (default: the first of --platforms)")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=PLATFORM[,KEY=VALUE...]",
                        help=f"a named column: the platform with some settings changed, e.g. {EXAMPLE[0]}={EXAMPLE[1]},{EXAMPLE[2]}; "
                        "keys: " + "; ".join(f"{entry.name}: {', '.join(k.key for k in entry.keys)}"
                                             for entry in REGISTRY.values() if entry.keys)
                        + f"; any platform: {', '.join(k.key for k in SHARED_KEYS)}; repeatable")
    parser.add_argument("--run-config", type=Path, default=None, metavar="FILE",
                        help='the same choices as JSON: {"platforms": [...], "baseline": "...", "variants": '
                        f'{{"{EXAMPLE[0]}": {{"platform": "{EXAMPLE[1]}", "{EXAMPLE[2].split("=")[0]}": "100ms"}}}}}}')


def add_platform_flags(parser: argparse.ArgumentParser) -> None:
    """Each platform's own flags, as its registry entry declares them (a settings file, then single keys)."""
    for entry in REGISTRY.values():
        if entry.settings_flag is not None:
            parser.add_argument(entry.settings_flag, type=Path, default=None, dest=_file_dest(entry),
                                help=f"{entry.label}'s settings as JSON (any subset of {entry.settings}); its flags, "
                                "when given, take precedence")
        for key in entry.keys:
            if key.flag is not None:
                parser.add_argument(key.flag, default=None, dest=key_dest(entry, key), help=key.help)


def _file_dest(entry: PlatformEntry) -> str:
    return f"settings_file__{entry.name}"


def key_dest(entry: PlatformEntry, key: SettingKey) -> str:
    return f"setting__{entry.name}__{key.key}"


@dataclass(frozen=True)
class Variant:
    name: str
    platform: str
    values: tuple[tuple[str, str], ...]
    """(key, value as typed), in the order given."""


def parse_variant(text: str) -> Variant:
    """``NAME=PLATFORM[,KEY=VALUE...]``."""
    head, *pairs = text.split(",")
    name, equals, platform = head.partition("=")
    if not equals or not name or not platform:
        raise InputError(f"--variant '{text}': expected NAME=PLATFORM[,KEY=VALUE...], e.g. {EXAMPLE[0]}={EXAMPLE[1]},{EXAMPLE[2]}")
    values = []
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise InputError(f"--variant '{text}': '{pair}' is not KEY=VALUE")
        values.append((key.strip(), value.strip()))
    return Variant(name.strip(), platform.strip(), tuple(values))


def _read_run_config(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    data = read_json_object(path, "run configuration")
    unknown = sorted(set(data) - set(RUN_CONFIG_KEYS))
    if unknown:
        raise InputError(f"unknown run configuration keys: {', '.join(unknown)} (expected {', '.join(RUN_CONFIG_KEYS)})", path)
    return data


def _file_variants(data: dict[str, Any], path: Path | None) -> list[Variant]:
    raw = data.get("variants", {})
    if not isinstance(raw, dict):
        raise InputError("variants: expected an object of NAME: {platform, KEY: VALUE}", path)
    found = []
    for name, body in raw.items():
        if not isinstance(body, dict) or not isinstance(body.get("platform"), str):
            raise InputError(f"variants.{name}: expected an object with a platform", path)
        values = [(k, v) for k, v in body.items() if k != "platform"]
        bad = [k for k, v in values if not isinstance(v, str)]
        if bad:
            raise InputError(f"variants.{name}.{bad[0]}: give the value as text, as on the command line (e.g. \"100ms\")", path)
        found.append(Variant(name, body["platform"], tuple(values)))
    return found


def _file_names(data: dict[str, Any], key: str, path: Path | None) -> Any:
    value = data.get(key)
    if key == "platforms" and value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise InputError("platforms: expected a list of names", path)
    if key == "baseline" and value is not None and not isinstance(value, str):
        raise InputError("baseline: expected a name", path)
    return value


def _hint(cls: type, path: str) -> Any:
    """The type of the (dotted) field ``path`` of the settings dataclass ``cls``."""
    owner, hint = cls, None
    for part in path.split("."):
        if owner is None or not is_dataclass(owner) or part not in {f.name for f in fields(owner)}:
            raise KeyError(path)
        hint = get_type_hints(owner)[part]
        owner = hint if is_dataclass(hint) else None
    return hint


def _expects(hint: Any) -> str:
    if get_origin(hint) is Literal:
        return "one of " + ", ".join(map(str, get_args(hint)))
    return {bool: "true or false", int: "a whole number", float: "a number"}.get(hint, "a value of its type")


def _parse(cls: type | None, key: SettingKey, text: str, what: str) -> Any:
    """``text`` as the value of ``key``'s field: a duration in seconds, or the field's type."""
    if key.duration:
        try:
            return parse_duration_ns(text, zero=True) / NANOS_PER_SECOND
        except ValueError as exc:
            raise InputError(f"{what}: {key.key}={text!r}: {exc}") from None
    hint = _hint(cls, key.field) if cls is not None else str
    try:
        return msgspec.convert(text, hint, strict=False)
    except msgspec.ValidationError:
        raise InputError(f"{what}: {key.key}={text!r}: expected {_expects(hint)}") from None


def current_value(spec: RunSpec, entry: PlatformEntry, key: SettingKey) -> Any:
    """The value ``key`` has in a column's spec."""
    if key in entry.keys:
        return _lookup_field(spec.settings, key.field)
    if key in VENUE_KEYS:
        return getattr(spec.venue, key.field)
    return getattr(spec.core.risk, key.field)


def parse_value(entry: PlatformEntry, key: SettingKey, text: str) -> Any:
    """``text`` as ``key``'s value for a column of ``entry``'s platform."""
    cls = settings_type(entry) if key in entry.keys else VenueSpec if key in VENUE_KEYS else RiskLimits
    return _parse(cls, key, text, entry.name)


def _lookup_field(tree: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def _set(tree: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``tree`` with the dotted ``path`` set to ``value`` (a new dict; nested tables copied)."""
    head, _, rest = path.partition(".")
    return {**tree, head: _set(dict(tree.get(head) or {}), rest, value) if rest else value}


@dataclass(frozen=True)
class PlatformSettings:
    """One platform's settings before any variant: its settings file, then its flags."""

    values: dict[str, Any]
    changed: tuple[Setting, ...]


def _platform_settings(args: argparse.Namespace, entry: PlatformEntry) -> PlatformSettings:
    path = getattr(args, _file_dest(entry), None) if entry.settings_flag else None
    values: dict[str, Any] = {}
    changed: list[Setting] = []
    if path is not None:
        values = read_json_object(path, f"{entry.name} configuration")
        changed += [Setting(k, json.dumps(v), "config_file") for k, v in sorted(values.items())]
    cls = settings_type(entry)
    for key in entry.keys:
        text = getattr(args, key_dest(entry, key), None) if key.flag else None
        if text is not None:
            values = _set(values, key.field, _parse(cls, key, text, key.flag))
            changed.append(Setting(key.key, text, "flag"))
    return PlatformSettings(values, tuple(changed))


def _variants(args: argparse.Namespace, data: dict[str, Any]) -> dict[str, Variant]:
    variants: dict[str, Variant] = {}
    for variant in [*_file_variants(data, args.run_config), *(parse_variant(t) for t in args.variant)]:
        if variant.name in variants:
            raise InputError(f"variant '{variant.name}' is defined twice: give each variant its own name")
        if variant.name in REGISTRY:
            raise InputError(f"variant '{variant.name}': a platform has that name; give the variant another")
        check_column_name(variant.name)
        if variant.platform not in REGISTRY:
            raise InputError(f"variant '{variant.name}': unknown platform '{variant.platform}' "
                             f"(expected one of {', '.join(PLATFORM_NAMES)})")
        variants[variant.name] = variant
    return variants


def _names(args: argparse.Namespace, data: dict[str, Any], variants: dict[str, Variant]) -> list[str]:
    given = getattr(args, "platforms", None) or _file_names(data, "platforms", args.run_config)
    names = list(given) if given else [*DEFAULT_PLATFORMS, *variants]
    for name in names:
        if name not in REGISTRY and name not in variants:
            raise InputError(f"--platforms: unknown platform or variant '{name}' (platforms: {', '.join(PLATFORM_NAMES)}"
                             + (f"; variants: {', '.join(variants)})" if variants else "; define a variant with --variant)"))
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"--platforms names {', '.join(twice)} twice: two processes would write one journal; "
                         "define a variant to run a platform twice")
    unused = [v for v in variants if v not in names]
    if unused:
        raise InputError(f"variant '{unused[0]}' is defined but not in --platforms: add it, or leave the variant out")
    return names


def plan_columns(args: argparse.Namespace, base: RunSpec, names: list[str] | None = None) -> Columns:
    """Every column's run spec from ``base`` (the settings every column shares) and the column options;
    ``names`` fixes the columns (a command that runs one), else ``--platforms`` decides."""
    data = _read_run_config(args.run_config)
    variants = _variants(args, data)
    names = names if names is not None else _names(args, data, variants)
    for name in names:
        if name not in REGISTRY and name not in variants:
            raise InputError(f"unknown platform or variant '{name}' (platforms: {', '.join(PLATFORM_NAMES)})")
    baseline = getattr(args, "baseline", None) or _file_names(data, "baseline", args.run_config) or names[0]
    if baseline not in names:
        raise InputError(f"--baseline {baseline}: not one of the columns run ({', '.join(names)})")
    own = {entry.name: _platform_settings(args, entry) for entry in REGISTRY.values()}
    for entry in REGISTRY.values():  # a flag is checked whether or not its platform runs: never a silent no-op
        try:
            complete_settings(entry, own[entry.name].values)
        except InputError as exc:
            raise InputError(f"{entry.name}: {exc.what}", exc.file) from None
    specs, records = [], []
    for name in names:
        variant = variants.get(name)
        entry = REGISTRY[variant.platform if variant else name]
        spec, changed = _column(base, entry, name, own[entry.name], variant)
        specs.append(spec)
        records.append(column_record(spec, entry, changed))
    return Columns(tuple(specs), tuple(records), baseline)


def _column(
    base: RunSpec, entry: PlatformEntry, name: str, own: PlatformSettings, variant: Variant | None
) -> tuple[RunSpec, tuple[Setting, ...]]:
    """One column's spec: the platform's settings, the variant's values on top, every range checked."""
    what = f"variant {name}" if variant else name
    if base.mode not in entry.modes:
        why = f": {entry.modes_why}" if entry.modes_why else ""
        raise InputError(f"{what}: {entry.name} runs in {' and '.join(entry.modes)} mode only, not {base.mode}{why}")
    cls = settings_type(entry)
    values, venue, gate, changed = own.values, {}, {}, list(own.changed)
    for key_name, text in variant.values if variant else ():
        key = entry.key(key_name)
        venue_key = next((k for k in VENUE_KEYS if k.key == key_name), None)
        gate_key = next((k for k in GATE_KEYS if k.key == key_name), None)
        if key is not None:
            values = _set(values, key.field, _parse(cls, key, text, what))
        elif venue_key is not None:
            venue[venue_key.field] = _parse(VenueSpec, venue_key, text, what)
        elif gate_key is not None:
            gate[gate_key.field] = _parse(RiskLimits, gate_key, text, what)
        else:
            offered = [k.key for k in (*entry.keys, *SHARED_KEYS)]
            raise InputError(f"{what}: unknown key '{key_name}' for {entry.name} (expected one of {', '.join(offered)})")
        changed = [c for c in changed if c.key != key_name] + [Setting(key_name, text, "variant")]
    try:
        settings = complete_settings(entry, values)
        venue_spec = replace(base.venue, **venue)
        core = replace(base.core, risk=replace(base.core.risk, **gate)) if gate else base.core
    except InputError as exc:
        raise InputError(f"{what}: {exc.what}", exc.file) from None
    spec = replace(base, platform=entry.name, column=name, settings=settings, venue=venue_spec, core=core)
    return spec, tuple(changed)

