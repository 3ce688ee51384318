#!/usr/bin/env bash
# Installs the Mosquitto broker and its tools (mosquitto_passwd) from the Debian archive, once.
# Idempotent: does nothing when mosquitto and mosquitto_passwd are already installed. Needs root or
# sudo; when it cannot install (no apt-get, no root, no archive) it says so and exits 0, and the MQTT
# tests then skip with that reason.
set -euo pipefail

# Debian puts mosquitto in /usr/sbin, which a non-root PATH often lacks.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

if have mosquitto && have mosquitto_passwd; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "warning: mosquitto is not installed and apt-get is not available; install Mosquitto 2.x by hand" \
         "to run the MQTT transport (its tests will skip)" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "warning: installing mosquitto needs root (no sudo found); the MQTT tests will skip" >&2
        exit 0
    fi
    SUDO="sudo"
fi
echo "installing mosquitto (Debian package) for the MQTT transport"
if ! { $SUDO apt-get update -qq \
       && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients >/dev/null; }; then
    echo "warning: apt-get could not install mosquitto; the MQTT tests will skip" >&2
    exit 0
fi
# The Debian package may start a system broker on port 1883 (with systemd); the project runs its own
# on 127.0.0.1 on another port, so a system one is left as the package set it up.
have mosquitto
