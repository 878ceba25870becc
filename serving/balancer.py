"""Worker processes fed connections by the parent, each to the worker holding the fewest.

uvicorn's own workers share one listening socket, and the first worker to wake accepts every
connection queued at that moment: with 16 keep-alive clients one of two workers held 12, and
over nine runs the busier one used 1.03 to 7.8 times the other's CPU (docs/decisions/0009). A
client with a connection pool then gets one core's throughput from two. Here the parent
accepts, and passes each connection's file descriptor over a Unix socket pair to the ready
worker with the fewest open connections, as a least-connections balancer does; the worker
serves it with uvicorn's HTTP protocol and counts it closed. A worker that dies is started
again; SIGINT or SIGTERM stops the workers gracefully, then the parent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import selectors
import signal
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import uvicorn

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess
    from types import FrameType

logger = logging.getLogger("uvicorn.error")

READY = b"r"  # a worker's only message to the parent: its app has started
SEND = b"c"  # the byte that carries one connection's descriptor to a worker
RESTART_PAUSE_S = 1.0  # between a worker's death and its replacement, so a crash cannot spin
STOP_WAIT_S = 30.0  # for a worker to finish its requests after SIGTERM
STARTUP_FAILURE = 3  # uvicorn's exit code when the app cannot start


def _counted(base: type, closed: Any, slot: int) -> type:
    """`base` (uvicorn's HTTP protocol class) counting its closed connections into `closed`."""

    class Counted(base):
        def connection_lost(self, exc: Exception | None) -> None:
            super().connection_lost(exc)
            closed[slot] += 1  # only this worker writes its slot

    return Counted


class HandedServer(uvicorn.Server):
    """A uvicorn server with no socket of its own: it serves the connections it is handed."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket, closed: Any, slot: int):
        super().__init__(config)
        self.channel, self.closed, self.slot = channel, closed, slot
        self._pending: set[asyncio.Task[Any]] = set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the lifespan (loading the bundle), no listener
        self._counted = _counted(self.config.http_protocol_class, self.closed, self.slot)
        self.channel.setblocking(False)
        asyncio.get_running_loop().add_reader(self.channel.fileno(), self._receive)
        self.channel.send(READY)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets=[])

    def _protocol(self) -> asyncio.Protocol:
        return self._counted(
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )

    def _receive(self) -> None:
        try:
            message, descriptors, _, _ = socket.recv_fds(self.channel, 1, 1)
        except BlockingIOError:
            return
        if not message:  # the parent is gone: nobody will hand us work again
            self.should_exit = True
            asyncio.get_running_loop().remove_reader(self.channel.fileno())
            return
        loop = asyncio.get_running_loop()
        for descriptor in descriptors:
            connection = socket.socket(fileno=descriptor)
            task = loop.create_task(loop.connect_accepted_socket(self._protocol, connection))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)


def _work(config: uvicorn.Config, channel: socket.socket, closed: Any, slot: int) -> None:
    """A worker process's body (spawned: it imports the app itself)."""
    config.configure_logging()
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the workers too
        HandedServer(config, channel, closed, slot).run()


@dataclass
class _Worker:
    slot: int
    process: BaseProcess
    channel: socket.socket  # the parent's end of the pair
    handed: int = 0
    ready: bool = False
    served: bool = False  # was ever ready: a worker that dies before is a broken set-up


class Balancer:
    """The parent: listens, starts `workers` processes and hands each connection on."""

    def __init__(self, config: uvicorn.Config, workers: int) -> None:
        self.config, self.count = config, workers
        self.context = mp.get_context("spawn")
        self.closed = self.context.RawArray("q", workers)
        self.selector = selectors.DefaultSelector()
        self.workers: dict[int, _Worker] = {}
        self.restarts: dict[int, float] = {}  # slot: when to start its next worker
        self.listening = False
        self.should_exit = self.failed = False

    def run(self) -> int:
        """Serve until a signal; the exit code: 0, or 3 if a worker could not start its app."""
        listener = self.config.bind_socket()  # logs where it listens, as uvicorn does
        listener.listen(self.config.backlog)
        listener.setblocking(False)
        self.listener = listener
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._exit)
        for slot in range(self.count):
            self._start(slot)
        try:
            while not self.should_exit:
                for key, _ in self.selector.select(timeout=0.5):
                    if key.fileobj is listener:
                        self._hand_on()
                    else:
                        self._hear(key.data)
                self._restart_due()
                self._listen(any(worker.ready for worker in self.workers.values()))
        finally:
            self._stop()
            listener.close()
        return STARTUP_FAILURE if self.failed else 0

    def _exit(self, sig: int, frame: FrameType | None) -> None:
        self.should_exit = True

    def _start(self, slot: int) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.closed[slot] = 0
        process = self.context.Process(
            target=_work, args=(self.config, theirs, self.closed, slot), name=f"worker-{slot}"
        )
        process.start()
        theirs.close()
        worker = _Worker(slot, process, ours)
        self.workers[slot] = worker
        self.selector.register(ours, selectors.EVENT_READ, worker)

    def _listen(self, on: bool) -> None:
        """Accept only while some worker can take the connection; the backlog holds the rest."""
        if on and not self.listening:
            self.selector.register(self.listener, selectors.EVENT_READ)
        elif not on and self.listening:
            self.selector.unregister(self.listener)
        self.listening = on

    def _hear(self, worker: _Worker) -> None:
        try:
            message = worker.channel.recv(1)
        except ConnectionError:
            message = b""
        if message == READY:
            worker.ready = worker.served = True
            return
        self.selector.unregister(worker.channel)
        worker.channel.close()
        worker.process.join()
        if self.should_exit:  # a signal to the whole group reached it first: expected
            return
        code = worker.process.exitcode
        if not worker.served:  # it could not start its app: another would fail the same way
            logger.error(
                "worker %d could not start the app (exit code %s); stopping", worker.slot, code
            )
            self.should_exit, self.failed = True, True
            return
        logger.error("worker %d exited with code %s; starting another", worker.slot, code)
        self.restarts[worker.slot] = time.monotonic() + RESTART_PAUSE_S

    def _restart_due(self) -> None:
        """Start the workers whose pause is over; the others serve meanwhile."""
        now = time.monotonic()
        for slot in [slot for slot, at in self.restarts.items() if at <= now]:
            del self.restarts[slot]
            self._start(slot)

    def _open(self, worker: _Worker) -> int:
        return worker.handed - int(self.closed[worker.slot])

    def _hand_on(self) -> None:
        while True:
            ready = [worker for worker in self.workers.values() if worker.ready]
            if not ready:
                return
            try:
                connection, _ = self.listener.accept()
            except BlockingIOError:
                return
            worker = min(ready, key=lambda w: (self._open(w), w.handed))
            with connection:
                try:
                    socket.send_fds(worker.channel, [SEND], [connection.fileno()])
                except OSError:  # died just now: the client sees its connection closed
                    worker.ready = False
                    continue
            worker.handed += 1

    def _stop(self) -> None:
        for worker in self.workers.values():
            if worker.process.is_alive():
                worker.process.terminate()  # SIGTERM: uvicorn finishes open requests
        deadline = time.monotonic() + STOP_WAIT_S
        for worker in self.workers.values():
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.channel.close()


def serve(config: uvicorn.Config, workers: int) -> int:
    """Serve `config`'s app from `workers` processes behind a least-connections parent."""
    return Balancer(config, workers).run()
