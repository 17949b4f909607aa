"""`make run` as a newcomer meets it: the address printed last, Ctrl-C ends it quietly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.e2e.system import REPO, make_system


def _wait_for(path: Path, text: str, process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = path.read_text(errors="replace")
        if text in output:
            return output
        assert process.poll() is None, f"make run ended early:\n{output[-4000:]}"
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never printed:\n{path.read_text(errors='replace')[-4000:]}")


def test_make_run_prints_the_address_last_and_ends_quietly_on_ctrl_c(tmp_path, broker, amqp_prefix):
    env = make_system(tmp_path, amqp_url=broker, prefix=amqp_prefix, database_urls={}).env
    env.pop("ACCESS_LOG")  # as a newcomer runs it: the default
    env.update(WEB_CONCURRENCY="1", DEMO_LISTINGS="12")
    address = f"open http://127.0.0.1:{env['GATEWAY_PORT']}/"
    output = tmp_path / "make-run.out"
    with output.open("wb") as sink:
        # As from a terminal: its own process group, which Ctrl-C signals as a whole.
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        _wait_for(output, address, process, timeout=180)
        time.sleep(3)  # anything the processes still had to say
        printed = output.read_text(errors="replace")
        lines = [line for line in printed.splitlines() if line.strip()]
        assert address in lines[-1], printed[-3000:]
        # The seed sent dozens of requests; none of them is logged by default.
        assert '"POST /shops' not in printed and '"GET /readyz' not in printed, printed[-3000:]

        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    printed = output.read_text(errors="replace")
    assert "make: ***" not in printed, printed[-3000:]
    assert "Error" not in printed.split(address)[1], printed[-3000:]
    # make itself ends by the terminal's Ctrl-C, as any program does: no message.
    assert process.returncode in (0, -signal.SIGINT)
