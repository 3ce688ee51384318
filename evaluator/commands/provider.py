"""``poc-eval provider [PLATFORM] ARGS...``: a provider-fed platform's signal provider run by hand.
Its options belong to the platform (the registry entry names its command line); ``--help`` after
the command shows them."""

from __future__ import annotations

import argparse

from evaluator.console import out
from evaluator.harness.platform_code import load
from shared_signals.contract.platforms import REGISTRY

PROVIDER_FED = [entry for entry in REGISTRY.values() if entry.provider is not None]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "provider", add_help=False, prefix_chars="+",  # every option is the platform's own, --help included
        help=f"publish signals at their scheduled times, as a provider-fed platform's provider does "
        f"({', '.join(e.name for e in PROVIDER_FED)}; --help lists its options)",
    )
    parser.add_argument("args", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    names = {e.name: e for e in PROVIDER_FED}
    rest = list(args.args)
    entry = names.get(rest[0]) if rest else None
    if entry is not None:
        rest = rest[1:]
    entry = entry or PROVIDER_FED[0]
    out.print(load(entry.provider.cli)(rest, f"poc-eval provider {entry.name}"))
    return 0
