"""`roomsets serve` as users run it, for benchmarks and fault tests; its memory from /proc."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`roomsets serve` in a process group of its own, so SIGKILL reaches every worker."""

    def __init__(self, database_url: str, *, secret: str, workers: int = 1, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "ROOMSETS_DATABASE_URL": database_url,
            "ROOMSETS_SECRET_KEY": secret,
            "ROOMSETS_PUBLIC_BASE_URL": self.url,
            "ROOMSETS_RATE_LIMIT_PER_SECOND": "0",
            "ROOMSETS_LOG_LEVEL": "warning",
            "ROOMSETS_LOG_FORMAT": "text",
            "ROOMSETS_DB_POOL_SIZE": "5",
            **{f"ROOMSETS_{name.upper()}": value for name, value in settings.items()},
        }
        command = [sys.executable, "-m", "roomsets", "serve", "--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("the server did not start")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to every process of the server: no shutdown, no flush, no goodbye."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def terminate(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss_bytes(self) -> int:
        """Resident memory of the server and all its worker processes."""
        return sum(_rss(pid) for pid in _tree(self.process.pid))

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            pids += _tree(int(child))
    return pids


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
