"""``python -m poc_hummingbot SPEC_FILE``: one Hummingbot run in this process (the supervisor's child)."""

import sys

from poc_hummingbot.app import run
from shared_signals.contract.process import platform_main

sys.exit(platform_main("poc_hummingbot", run))
