"""``python -m poc_nautilus SPEC_FILE``: one Nautilus run in this process (the supervisor's child)."""

import sys

from poc_nautilus.app import run
from shared_signals.contract.process import platform_main

sys.exit(platform_main("poc_nautilus", run))
