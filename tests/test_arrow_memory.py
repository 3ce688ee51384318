"""Every package of the project selects pyarrow's system allocator before pyarrow loads."""

import os
import subprocess
import sys

import pytest

from shared_signals.arrow_memory import ARROW_POOL, ARROW_POOL_VARIABLE


def pool_after_importing(package: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != ARROW_POOL_VARIABLE} | env
    code = f"import {package}, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    return done.stdout.strip()


@pytest.mark.parametrize("package", ["shared_signals", "evaluator.cli", "poc_nautilus.app", "poc_hummingbot"])
def test_importing_a_package_selects_the_system_allocator(package):
    assert pool_after_importing(package) == ARROW_POOL


def test_the_users_choice_of_allocator_wins():
    assert pool_after_importing("shared_signals", **{ARROW_POOL_VARIABLE: "jemalloc"}) == "jemalloc"
