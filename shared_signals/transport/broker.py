"""The project's own Mosquitto broker: started on 127.0.0.1 from the repo's config template, stopped, restarted.

Used by ``poc-eval broker`` (``scripts/mqtt/broker.sh``), by a run that needs a broker and finds
none running (``evaluator.harness.run_broker``), and by the MQTT tests as a fixture. Each start
without saved credentials generates a fresh password: the plain copy goes to ``client.json`` (mode
0600, for the clients), the broker gets a hash made by ``mosquitto_passwd``. ``restart`` keeps the
credentials and the persisted sessions, as a broker restart in production would; ``stop`` forgets both.
"""

from __future__ import annotations

import getpass
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from shared_signals.transport.broker_watch import PID_FILE
from shared_signals.transport.mqtt.connection import (
    CONNECTION_FILE,
    LOOPBACK,
    BrokerAddress,
    read_address,
    write_address,
    write_private,
)
from shared_signals.errors import InputError

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_TEMPLATE = PROJECT_ROOT / "scripts" / "mqtt" / "mosquitto.conf"
DEFAULT_PORT = 18830
"""Not 1883, so the project's broker never collides with a system one."""
USERNAME = "q50"
PASSWORD_BYTES = 24
CONFIG_FILE = "mosquitto.conf"
PASSWORD_FILE = "passwd"
LOG_FILE = "mosquitto.log"
DATABASE_FILE = "mosquitto.db"
PRIVATE_DIR_MODE = 0o700
READY_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 5.0
POLL_S = 0.02
PROBE_TIMEOUT_S = 0.2
EXTRA_BIN_DIRS = ("/usr/sbin", "/usr/local/sbin")
"""Debian installs ``mosquitto`` in /usr/sbin, which a non-root PATH often lacks."""
INSTALL_HINT = "install it with scripts/mqtt/install.sh (Debian package mosquitto)"


def find_program(name: str) -> str | None:
    """``name`` on PATH or in the sbin folders."""
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(EXTRA_BIN_DIRS))


def mosquitto_available() -> bool:
    return find_program("mosquitto") is not None and find_program("mosquitto_passwd") is not None


def port_open(port: int, host: str = LOOPBACK) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now (the tests' brokers)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class BrokerStatus:
    running: bool
    pid: int | None
    endpoint: str | None
    folder: Path

    def describe(self) -> str:
        if not self.running:
            return f"mosquitto is not running (broker folder {self.folder})"
        return f"mosquitto running on {self.endpoint} (pid {self.pid}); clients read {self.folder / CONNECTION_FILE}"


class MosquittoBroker:
    """One broker in ``folder`` on ``port``; its pid file makes start/stop/status work across processes."""

    def __init__(self, folder: Path, port: int = DEFAULT_PORT) -> None:
        self.folder = Path(folder)
        self.port = port
        self._process: subprocess.Popen | None = None

    # ---- state ---------------------------------------------------------------------------------

    def running_pid(self) -> int | None:
        """The pid in the pid file if that process is a live mosquitto, else None."""
        try:
            pid = int((self.folder / PID_FILE).read_text().strip())
            process = psutil.Process(pid)
            if process.status() != psutil.STATUS_ZOMBIE and "mosquitto" in process.name():
                return pid
        except (OSError, ValueError, psutil.Error):
            return None
        return None

    def status(self) -> BrokerStatus:
        pid = self.running_pid()
        endpoint = read_address(self.folder).endpoint if pid is not None else None
        return BrokerStatus(pid is not None, pid, endpoint, self.folder)

    # ---- start ---------------------------------------------------------------------------------

    def start(self) -> BrokerAddress:
        """Starts the broker (a no-op when it already runs) and waits until it accepts connections."""
        if self.running_pid() is not None:
            return read_address(self.folder)
        mosquitto, mosquitto_passwd = find_program("mosquitto"), find_program("mosquitto_passwd")
        if mosquitto is None or mosquitto_passwd is None:
            raise InputError(f"mosquitto is not installed: {INSTALL_HINT}")
        if port_open(self.port):
            raise InputError(f"port {self.port} on {LOOPBACK} is already in use: pick another with --port")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(PRIVATE_DIR_MODE)
        address = self._credentials(mosquitto_passwd)
        config = self.folder / CONFIG_FILE
        config.write_text(self._render_config(), encoding="utf-8")
        with (self.folder / LOG_FILE).open("ab") as log_file:
            self._process = subprocess.Popen(
                [mosquitto, "-c", str(config)], stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                start_new_session=True,
            )
        (self.folder / PID_FILE).write_text(f"{self._process.pid}\n", encoding="utf-8")
        self._wait_ready()
        log.info("mosquitto started on %s (pid %d)", address.endpoint, self._process.pid)
        return address

    def _credentials(self, mosquitto_passwd: str) -> BrokerAddress:
        """The saved credentials for this port (a restart), or new ones: a random password, hashed for the broker."""
        passwords = self.folder / PASSWORD_FILE
        if passwords.exists() and (self.folder / CONNECTION_FILE).exists():
            saved = read_address(self.folder)
            if saved.port == self.port:
                return saved
        address = BrokerAddress(LOOPBACK, self.port, USERNAME, secrets.token_urlsafe(PASSWORD_BYTES))
        write_private(passwords, f"{address.username}:{address.password}\n")
        hashed = subprocess.run([mosquitto_passwd, "-U", str(passwords)], capture_output=True, text=True, check=False)
        if hashed.returncode != 0:
            passwords.unlink(missing_ok=True)
            raise InputError(f"mosquitto_passwd could not hash the password file: {hashed.stderr.strip()}", passwords)
        write_address(self.folder, address)
        return address

    def _render_config(self) -> str:
        template = CONFIG_TEMPLATE.read_text(encoding="utf-8")
        return template.replace("@PORT@", str(self.port)).replace("@DIR@", str(self.folder)).replace("@USER@", getpass.getuser())

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                (self.folder / PID_FILE).unlink(missing_ok=True)
                raise InputError(f"mosquitto exited at start (code {self._process.returncode}): {self._last_log_line()}", self.folder / LOG_FILE)
            if port_open(self.port):
                return
            time.sleep(POLL_S)
        self.stop()
        raise InputError(f"mosquitto did not accept connections within {READY_TIMEOUT_S:g} s", self.folder / LOG_FILE)

    def _last_log_line(self) -> str:
        try:
            lines = [line for line in (self.folder / LOG_FILE).read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            return "no log"
        return lines[-1] if lines else "no log"

    # ---- stop ----------------------------------------------------------------------------------

    def stop(self, forget: bool = True) -> bool:
        """SIGTERM (the broker saves its database), SIGKILL after a timeout. ``forget`` also deletes the
        credentials and the saved sessions. True when a broker was running."""
        pid = self.running_pid()
        if pid is not None:
            self._terminate(pid)
        (self.folder / PID_FILE).unlink(missing_ok=True)
        if forget:
            for name in (PASSWORD_FILE, CONNECTION_FILE, DATABASE_FILE):
                (self.folder / name).unlink(missing_ok=True)
        return pid is not None

    def _terminate(self, pid: int) -> None:
        own = self._process if self._process is not None and self._process.pid == pid else None
        try:
            process = psutil.Process(pid)
            process.send_signal(signal.SIGTERM)
            if own is not None:
                try:
                    own.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    own.kill()
                    own.wait()
            else:
                _, alive = psutil.wait_procs([process], timeout=STOP_TIMEOUT_S)
                for survivor in alive:
                    survivor.kill()
        except psutil.NoSuchProcess:
            pass
        self._process = None

    def restart(self, down_s: float = 0.0) -> BrokerAddress:
        """Stops, stays down ``down_s`` seconds, and starts again on the same port with the same
        credentials and saved sessions."""
        self.stop(forget=False)
        time.sleep(down_s)
        return self.start()

