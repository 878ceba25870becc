"""The serving parent hands each connection to the worker holding the fewest, and keeps two up.

A real parent process with two spawned workers on loopback, serving a small app that answers
with the pid of the worker that served the request.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[2]
SERVER = """
from creatormatch.core import Settings
from creatormatch.serving import run
raise SystemExit(run(Settings(home="unused", workers=2), host="127.0.0.1", port={port},
                     factory="tests.serving.test_balancer:{factory}", log_level="warning"))
"""


def pid_app() -> FastAPI:
    app = FastAPI()

    @app.get("/pid")
    def pid() -> int:
        return os.getpid()

    return app


def broken_app() -> FastAPI:
    raise RuntimeError("this app cannot start")


def _start(factory: str) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    code = SERVER.format(port=port, factory=factory)
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT), port


def _pid(connection: http.client.HTTPConnection) -> int:
    connection.request("GET", "/pid")
    response = connection.getresponse()
    assert response.status == 200
    return int(response.read())


class Served:
    """The server, its port, and every connection a test opened (closed at the end)."""

    def __init__(self, server: subprocess.Popen[bytes], port: int) -> None:
        self.server, self.port = server, port
        self.connections: list[http.client.HTTPConnection] = []

    def open(self, count: int) -> tuple[list[http.client.HTTPConnection], list[int]]:
        """`count` new keep-alive connections and the worker pid that served each."""
        connections = [
            http.client.HTTPConnection("127.0.0.1", self.port, timeout=10) for _ in range(count)
        ]
        self.connections += connections
        return connections, [_pid(c) for c in connections]

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.server.poll() is None, f"exited with code {self.server.returncode}"
            try:
                self.open(1)
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not serve within 120 s")

    def close(self) -> None:
        for connection in self.connections:
            connection.close()
        if self.server.poll() is None:
            self.server.terminate()
        self.server.wait(timeout=60)


@pytest.fixture
def served() -> Iterator[Served]:
    served = Served(*_start("pid_app"))
    try:
        served.wait_until_serving()
        time.sleep(1.0)  # the second worker may still be importing
        yield served
    finally:
        served.close()


def test_connections_go_to_the_worker_holding_fewest(served: Served) -> None:
    connections, pids = served.open(8)
    assert sorted(Counter(pids).values()) == [4, 4]  # uvicorn alone gave one worker 12 of 16

    first = pids[0]
    for connection, pid in zip(connections, pids, strict=True):
        if pid == first:
            connection.close()
    time.sleep(1.0)  # the worker sees the four closes
    _, new = served.open(4)
    assert new == [first] * 4  # least connections, not turn about


def test_a_killed_worker_is_replaced(served: Served) -> None:
    connections, pids = served.open(2)
    os.kill(pids[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    new: list[int] = []
    while time.monotonic() < deadline and not set(new) - set(pids):
        time.sleep(0.5)
        try:
            _, new = served.open(1)
        except OSError:  # handed to the dead worker before the parent heard it die
            continue
    assert set(new) - set(pids), "no new worker within 60 s"
    assert _pid(connections[1]) == pids[1]  # the other worker kept its connection
    assert served.server.poll() is None


def test_sigterm_stops_the_workers_and_the_parent(served: Served) -> None:
    _, pids = served.open(2)
    served.server.send_signal(signal.SIGTERM)
    assert served.server.wait(timeout=60) == 0
    for pid in set(pids):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_an_app_that_cannot_start_stops_the_server_with_code_3() -> None:
    server, _ = _start("broken_app")
    assert server.wait(timeout=120) == 3
