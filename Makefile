# q50-poc: every target bootstraps .venv (Python 3.12) first if it is missing or stale.
PY := .venv/bin/python
DURATION ?= 24h
SPEED ?= 1
LIVE_DURATION ?= 3m
LIVE_SPEED ?= 20

.PHONY: setup run-both run-both-live compare-transports report soak test bench demo-data clean

# setup also installs Mosquitto (Debian package, once) for --transport mqtt and its tests.
setup:
	@bash scripts/bootstrap.sh
	@bash scripts/mqtt/install.sh

run-both: setup
	$(PY) -m evaluator.cli run-both --mode replay

run-both-live: setup
	$(PY) -m evaluator.cli run-both --mode live --speed $(LIVE_SPEED) --duration $(LIVE_DURATION)

# Hummingbot over the file and over MQTT in one run (its broker: the project's when it runs, else one of the run's own).
compare-transports: setup
	$(PY) -m evaluator.cli compare-transports

report: setup
	@test -n "$(RUN_DIR)" || (echo "usage: make report RUN_DIR=reports/<run-id>" >&2; exit 2)
	$(PY) -m evaluator.cli report $(RUN_DIR)

soak: setup
	$(PY) -m evaluator.cli soak --duration $(DURATION) --speed $(SPEED)

demo-data: setup
	$(PY) -m evaluator.cli demo-data --out data/demo

# lint-imports checks the layers (pyproject.toml's [tool.importlinter] contracts) before the tests run.
test: setup
	.venv/bin/lint-imports
	$(PY) -m pytest --benchmark-skip

bench: setup
	$(PY) -m pytest tests/bench --benchmark-only --benchmark-columns=min,median,mean,max,ops,rounds

clean:
	rm -rf runs data .pytest_cache .benchmarks
