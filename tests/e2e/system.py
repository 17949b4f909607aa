"""The whole storefront as real processes: the Procfile's commands, started one by one so a
test can stop and restart any of them."""

from __future__ import annotations

import itertools
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
WEB = {
    "gateway": "GATEWAY",
    "shops": "SHOPS",
    "catalog": "CATALOG",
    "orders": "ORDERS",
    "notifications": "NOTIFICATIONS",
}
# The systems running now, by their gateway's address: steps that only know the address
# (reading a mailed link from the gateway's database) find their system here.
RUNNING: dict[str, System] = {}
# Each worker serves /healthz, /readyz and /metrics on a port of its own.
WORKERS = {
    "gateway-worker": "GATEWAY_WORKER",
    "shops-worker": "SHOPS_WORKER",
    "catalog-worker": "CATALOG_WORKER",
    "orders-worker": "ORDERS_WORKER",
    "notifications-worker": "NOTIFICATIONS_WORKER",
}


def read_procfile(path: Path = REPO / "Procfile") -> dict[str, str]:
    commands = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


# Ports below the kernel's ephemeral range (32768 and up on Linux), which it never hands out
# by itself: no other test's connection or port-0 server can take one between its choice
# here and the process binding it. Each test process counts through a block of its own.
_PORTS_PER_PROCESS = 1500
_next_port = itertools.count()


def free_port() -> int:
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    base = 20_000 + _PORTS_PER_PROCESS * (worker % 8)
    for _ in range(_PORTS_PER_PROCESS):
        port = base + next(_next_port) % _PORTS_PER_PROCESS
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # still in use, or closing
            return port
    raise RuntimeError(f"no free port in {base}-{base + _PORTS_PER_PROCESS - 1}")


@dataclass
class System:
    workdir: Path
    env: dict[str, str]
    commands: dict[str, str] = field(default_factory=read_procfile)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def url(self, web: str) -> str:
        name = WEB.get(web) or WORKERS[web]
        return f"http://127.0.0.1:{self.env[name + '_PORT']}"

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "services.common.manage", "all", "migrate"],
            cwd=REPO,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def start(self, name: str) -> None:
        log = open(self.workdir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            self.commands[name],
            shell=True,
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process and all its children at once, as a crash would."""
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        process.wait(timeout=20)

    def start_all(self) -> None:
        self.migrate()
        for name in self.commands:
            self.start(name)
        for web in WEB:
            self.wait_ready(web)
        RUNNING[self.url("gateway")] = self
        for worker in WORKERS:
            if worker in self.commands:
                self.wait_ready(worker)

    def stop_all(self) -> None:
        RUNNING.pop(self.url("gateway"), None)
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def database_url(self, service: str) -> str:
        default = f"sqlite:///{Path(self.env['DATA_DIR']) / (service + '.db')}"
        return self.env.get(f"{service.upper()}_DATABASE_URL", default)

    def wait_ready(self, web: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url(web) + "/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet, or still starting up
            for name, process in self.processes.items():  # a crash ends the wait early
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{self.log(name)}")
            time.sleep(0.2)
        raise RuntimeError(f"{web} not ready within {timeout}s:\n{self.log(web)}")

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def make_system(
    workdir: Path, *, amqp_url: str, prefix: str, database_urls: dict[str, str]
) -> System:
    env = dict(os.environ)
    env.update(
        DATA_DIR=str(workdir / "data"),
        AMQP_URL=amqp_url,
        AMQP_PREFIX=prefix,
        SERVICE_TOKEN_SECRET=secrets.token_hex(16),
        GATEWAY_SECRET_KEY=secrets.token_hex(16),
        WEB_CONCURRENCY="1",
        ACCESS_LOG="",
        PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
    )
    for prefix_name in WEB.values():
        port = free_port()
        env[f"{prefix_name}_PORT"] = str(port)
        env[f"{prefix_name}_URL"] = f"http://127.0.0.1:{port}"
    for prefix_name in WORKERS.values():
        env[f"{prefix_name}_PORT"] = str(free_port())
    # The webhooks and mail sender processes are no messaging workers, but their probes
    # want a port too.
    env["SHOPS_WEBHOOKS_PORT"] = str(free_port())
    env["NOTIFICATIONS_SENDER_PORT"] = str(free_port())
    for service, url in database_urls.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
    # Mails go to the Procfile's mail catcher, kept as .eml files under DATA_DIR/mail.
    env["MAILCATCHER_PORT"] = str(free_port())
    env["SMTP_URL"] = f"smtp://127.0.0.1:{env['MAILCATCHER_PORT']}"
    env["PUBLIC_URL"] = env["GATEWAY_URL"]
    return System(workdir=workdir, env=env)
