"""The transports a provider can use to reach a strategy: the names in settings, run files and journals."""

from typing import Literal, get_args

Transport = Literal["file", "mqtt"]
FILE: Transport = "file"
MQTT: Transport = "mqtt"
TRANSPORTS: tuple[str, ...] = get_args(Transport)
