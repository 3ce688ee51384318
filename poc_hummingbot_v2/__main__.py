"""``python -m poc_hummingbot_v2 SPEC_FILE``: one Hummingbot V2 run in this process (the supervisor's child)."""

import sys

from poc_hummingbot_v2.app import run
from shared_signals.contract.process import platform_main

sys.exit(platform_main("poc_hummingbot_v2", run))
