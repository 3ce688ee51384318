"""The run spec and the configs it carries: ranges checked when they are built, one line each, and a
spec that survives the trip through its file (the one thing a platform process is given)."""

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from poc_hummingbot.config import HummingbotConfig
from shared_signals.config import DecisionParams, RiskLimits, SignalCoreConfig, SizingParams, plain_settings
from shared_signals.contract.spec import RunSpec, VenueSpec, platform_config, read_spec, write_spec
from shared_signals.errors import InputError
from shared_signals.ranges import Range

BASE = dict(platform="nautilus", mode="live", quotes=Path("q"), signals=Path("s"), run_dir=Path("r"), run_id="x")


@pytest.mark.parametrize("platform", ["nautilus", "hummingbot"])
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"speed": 0.0}, r"RunSpec.speed = 0.0 is out of range: must be a number > 0"),
        ({"duration_ns": 0}, r"RunSpec.duration_ns = 0 is out of range: must be an integer > 0"),
        ({"heartbeat_s": -1.0}, r"RunSpec.heartbeat_s = -1.0 is out of range"),
        ({"starting_quote": 0.0}, r"RunSpec.starting_quote = 0.0 is out of range: must be a number > 0"),
        ({"starting_base": -1.0}, r"RunSpec.starting_base = -1.0 is out of range: must be a number >= 0"),
        ({"mode": "paper"}, r"RunSpec.mode = 'paper' is not one of replay, live"),
        ({"column": "Bad Name"}, r"column name 'Bad Name': use 1-32 lower-case letters"),
        ({"column": "charts"}, r"column name 'charts': .* and not reference, charts"),
        ({"starting_quote": "100"}, r"RunSpec.starting_quote = '100' is out of range"),
    ],
)
def test_a_spec_that_cannot_run_is_refused_when_built(platform, changes, message):
    with pytest.raises(InputError, match=message):
        RunSpec(**{**BASE, "platform": platform, **changes})


def test_an_unknown_platform_is_refused():
    with pytest.raises(InputError, match="unknown platform 'freqtrade': expected one of nautilus, hummingbot"):
        RunSpec(**{**BASE, "platform": "freqtrade"})


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: DecisionParams(threshold=0.5), r"DecisionParams.threshold = 0.5 is out of range: must be a number > 0.5 and < 1"),
        (lambda: DecisionParams(threshold=5), r"DecisionParams.threshold = 5 is out of range"),
        (lambda: DecisionParams(rule="banana"), r"DecisionParams.rule = 'banana' is not one of shared, ai_livestream"),
        (lambda: RiskLimits(max_position_fraction=-0.5), r"RiskLimits.max_position_fraction = -0.5 is out of range"),
        (lambda: RiskLimits(max_orders_per_minute=2.5), r"RiskLimits.max_orders_per_minute = 2.5 is out of range: must be an integer >= 1"),
        (lambda: SizingParams(base_fraction=-0.1), r"SizingParams.base_fraction = -0.1 is out of range"),
        (lambda: SizingParams(vol_decile_multipliers=(1.0,) * 9), r"vol_decile_multipliers needs 10 values"),
        (lambda: SizingParams(regime_multipliers={"low": -1.0}), r"SizingParams.regime_multipliers.low = -1.0 is out of range"),
        (lambda: SignalCoreConfig.from_dict({"decision": {"threshold": "0.7"}}), r"DecisionParams.threshold = '0.7' is out of range"),
        (lambda: SignalCoreConfig.from_dict({"decision": {"treshold": 0.7}}), r"unknown DecisionParams settings: treshold"),
        (lambda: SignalCoreConfig.from_dict({"risk": 5}), r"RiskLimits must be a table of settings"),
        (lambda: HummingbotConfig.from_dict({"order_type": "stop"}), r"HummingbotConfig.order_type = 'stop' is not one of market, limit"),
        (lambda: HummingbotConfig.from_dict({"limit_offset": 0.5}), r"HummingbotConfig.limit_offset = 0.5 is out of range"),
        (lambda: HummingbotConfig.from_dict({"tick_size_s": 0}), r"HummingbotConfig.tick_size_s = 0 is out of range: must be a number >= 0.1 and <= 60"),
        (lambda: HummingbotConfig.from_dict({"tick_size_s": 0.05}), r"HummingbotConfig.tick_size_s = 0.05 is out of range"),
        (lambda: HummingbotConfig.from_dict({"tick_size_s": 61}), r"HummingbotConfig.tick_size_s = 61 is out of range"),
        (lambda: HummingbotConfig.from_dict({"transport": "pigeon"}), r"HummingbotConfig.transport = 'pigeon' is not one of file, mqtt"),
        (lambda: VenueSpec(fill_delay_s=-1), r"VenueSpec.fill_delay_s = -1 is out of range"),
        (lambda: RunSpec(platform="nautilus", mode="replay", quotes=Path(), signals=Path(), run_dir=Path(), run_id="r",
                         signal_delay_ns=5 * 60 * 10**9), r"RunSpec.signal_delay_ns = 300000000000 is out of range: must be less than the tolerance"),
        (lambda: VenueSpec(fee_bps=500), r"VenueSpec.fee_bps = 500 is out of range"),
        (lambda: VenueSpec(model="exotic"), r"VenueSpec.model = 'exotic' is not one of matched, native"),
        (lambda: HummingbotConfig.from_dict({"mqtt": {"qos": 3}}), r"MqttConfig.qos = 3 is not one of 0, 1, 2"),
    ],
)
def test_a_setting_out_of_its_range_is_one_clear_line(build, message):
    with pytest.raises(InputError, match=message) as raised:
        build()
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("limits", "value", "inside"),
    [
        (Range(gt=0), 0.0, False),
        (Range(gt=0), 1e-12, True),
        (Range(ge=0, lt=0.1), 0.1, False),
        (Range(ge=0, le=0.1), 0.1, True),
        (Range(ge=0), math.nan, False),
        (Range(ge=0), math.inf, True),
        (Range(ge=0, le=1), math.inf, False),
        (Range(), -math.inf, False),
    ],
)
def test_a_range_holds_its_bounds_and_refuses_nan(limits, value, inside):
    assert limits.contains(value) is inside


def test_the_spec_survives_its_file(tmp_path):
    core = SignalCoreConfig(decision=DecisionParams(threshold=0.7, rule="ai_livestream"), risk=RiskLimits(max_position_qty=2.0))
    hummingbot = HummingbotConfig(order_type="limit", limit_offset=0.002, tick_size_s=0.25, transport="mqtt")
    spec = RunSpec(**{**BASE, "run_dir": tmp_path, "speed": 20.0, "duration_ns": 10**9, "core": core})
    assert spec.column == "nautilus"  # a platform's column is named after it
    path = write_spec(spec)
    assert path == tmp_path / "nautilus" / "spec.json" and json.loads(path.read_text())["core"]["decision"]["threshold"] == 0.7
    assert read_spec(path) == spec
    variant = replace(spec, platform="hummingbot", column="hb-limit", settings=plain_settings(hummingbot))
    path = write_spec(variant)
    assert path == tmp_path / "hb-limit" / "spec.json"
    again = read_spec(path)
    assert again == variant and again.platform_dir == tmp_path / "hb-limit"
    assert platform_config(again, HummingbotConfig) == hummingbot
    assert platform_config(again, HummingbotConfig).tick_size_ns == 250_000_000


def test_a_columns_bad_settings_name_the_column():
    spec = RunSpec(**{**BASE, "platform": "hummingbot", "column": "hb-fast", "settings": {"tick_size_s": 0.01}})
    with pytest.raises(InputError, match=r"hb-fast: setting HummingbotConfig.tick_size_s = 0.01 is out of range"):
        platform_config(spec, HummingbotConfig)


def test_a_spec_file_that_is_not_one_is_a_clear_error(tmp_path):
    bad = tmp_path / "spec.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="not a run spec"):
        read_spec(bad)
    with pytest.raises(InputError, match="file not found"):
        read_spec(tmp_path / "missing.json")
