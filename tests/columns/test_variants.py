"""Named variants as a user gives them: each bad one is one line and exit 2 before anything runs, and a
good one becomes a column with its settings checked by its platform's own settings type."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from evaluator.cli import main
from evaluator.commands.columns import parse_variant
from shared_signals.contract import platforms

BAD_VARIANTS = {
    "unknown key": (["--variant", "hb-fast=hummingbot,tik=100ms"], "variant hb-fast: unknown key 'tik' for hummingbot"),
    "key of another platform": (["--variant", "nt=nautilus,tick=1s"], "variant nt: unknown key 'tick' for nautilus"),
    "unknown base": (["--variant", "hb-fast=humingbot,tick=100ms"], "variant 'hb-fast': unknown platform 'humingbot'"),
    "a name used twice": (["--variant", "hb=hummingbot,tick=1s", "--variant", "hb=hummingbot,tick=2s"],
                          "variant 'hb' is defined twice"),
    "a platform's name": (["--variant", "nautilus=hummingbot,tick=1s"], "variant 'nautilus': a platform has that name"),
    "a value out of range": (["--variant", "hb-fast=hummingbot,tick=50ms"],
                             "variant hb-fast: setting HummingbotConfig.tick_size_s = 0.05 is out of range: must be a number >= 0.1"),
    "a venue value out of range": (["--variant", "cheap=nautilus,fee_bps=200"],
                                   "variant cheap: setting VenueSpec.fee_bps = 200.0 is out of range"),
    "a gate value out of range": (["--variant", "hb-old=hummingbot,max_quote_age=30d"],
                                  "variant hb-old: setting RiskLimits.max_quote_age_s = 2592000.0 is out of range"),
    "not a duration": (["--variant", "hb-fast=hummingbot,tick=soon"], "variant hb-fast: tick='soon': not a duration"),
    "not a choice": (["--variant", "hb-stop=hummingbot,order_type=stop"], "variant hb-stop: order_type='stop': expected one of market, limit"),
    "not a number": (["--variant", "hb-l=hummingbot,limit_offset=wide"], "variant hb-l: limit_offset='wide': expected a number"),
    "no platform": (["--variant", "hb-fast"], "--variant 'hb-fast': expected NAME=PLATFORM"),
    "a pair without =": (["--variant", "hb-fast=hummingbot,tick"], "'tick' is not KEY=VALUE"),
    "an unsafe name": (["--variant", "../x=hummingbot"], "column name '../x'"),
    "a folder the run uses": (["--variant", "reference=hummingbot"], "column name 'reference'"),
    "defined, not run": (["--variant", "hb-fast=hummingbot,tick=1s", "--platforms", "nautilus"],
                         "variant 'hb-fast' is defined but not in --platforms"),
    "a platform twice": (["--platforms", "nautilus", "nautilus"], "--platforms names nautilus twice"),
    "an unknown column": (["--platforms", "nautilus", "binance"], "unknown platform or variant 'binance'"),
    "an unknown baseline": (["--baseline", "binance"], "--baseline binance: not one of the columns run"),
    "a venue delay live": (["--mode", "live", "--variant", "slow=nautilus,fill_delay=2s"], "variant slow: a venue fill delay of 2 s runs in replay only"),
}


@pytest.mark.parametrize("case", list(BAD_VARIANTS))
@pytest.mark.parametrize("command", ["validate", "run-both"])
def test_a_bad_variant_is_one_line_and_exit_2(case, command, small_demo, tmp_path, capsys):
    flags, expected = BAD_VARIANTS[case]
    files = ["--quotes", str(small_demo.quotes), "--signals", str(small_demo.signals)]
    out = [] if command == "validate" else ["--out", str(tmp_path / "out")]
    assert main([command, *files, *out, *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert expected in " ".join(err.split()), err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_variant_in_a_mode_its_platform_does_not_run_is_refused(small_demo, monkeypatch, capsys):
    live_only = replace(platforms.REGISTRY["hummingbot"], modes=("live",))
    monkeypatch.setitem(platforms.REGISTRY, "hummingbot", live_only)
    files = ["--quotes", str(small_demo.quotes), "--signals", str(small_demo.signals)]
    assert main(["validate", *files, "--variant", "hb-fast=hummingbot,tick=100ms", "--platforms", "nautilus", "hb-fast"]) == 2
    assert "variant hb-fast: hummingbot runs in live mode only, not replay" in capsys.readouterr().err


def test_a_run_config_file_holds_the_same_choices_and_the_command_line_wins(small_demo, tmp_path, capsys):
    config = tmp_path / "run.json"
    config.write_text(json.dumps({"platforms": ["hummingbot", "hb-fast"], "baseline": "hb-fast",
                                  "variants": {"hb-fast": {"platform": "hummingbot", "tick": "100ms"}}}))
    files = ["--quotes", str(small_demo.quotes), "--signals", str(small_demo.signals)]
    assert main(["validate", *files, "--run-config", str(config)]) == 0
    assert "hummingbot, hb-fast can run BTCUSDT" in " ".join(capsys.readouterr().out.split())
    assert main(["validate", *files, "--run-config", str(config), "--platforms", "nautilus", "hb-fast", "--baseline", "nautilus"]) == 0
    assert "nautilus, hb-fast can run" in " ".join(capsys.readouterr().out.split())
    config.write_text(json.dumps({"variants": {"hb-fast": {"platform": "hummingbot", "tick": 0.1}}}))
    assert main(["validate", *files, "--run-config", str(config)]) == 2
    assert "variants.hb-fast.tick: give the value as text" in capsys.readouterr().err


def test_parse_variant_keeps_the_values_in_order():
    variant = parse_variant("hb-mqtt=hummingbot,transport=mqtt,tick=500ms")
    assert (variant.name, variant.platform, variant.values) == ("hb-mqtt", "hummingbot", (("transport", "mqtt"), ("tick", "500ms")))
