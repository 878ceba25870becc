"""Running the API in worker processes that share the machine's cores without fighting over them.

A request is GIL-bound Python around small numeric calls, so throughput grows with processes, not
threads. Left alone, every process's libraries (OpenMP for FAISS and LightGBM, BLAS for numpy,
torch's own pool) start a thread per core each, and N processes on N cores spin against each
other (docs/decisions/0009). The limits go into the environment before uvicorn starts, where
spawned workers and libraries not loaded yet read them, and into a BLAS already loaded here.
"""

from __future__ import annotations

import asyncio
import os
import socket

from threadpoolctl import threadpool_limits
from uvicorn.protocols.http.h11_impl import H11Protocol

from creatormatch.core import Settings

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Each worker process builds its own app, from the `CREATORMATCH_*` environment.
APP_FACTORY = "creatormatch.serving.app:app_from_environment"


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection.

    asyncio sets TCP_NODELAY only on sockets that say IPPROTO_TCP, and a socket rebuilt from a
    descriptor may say protocol 0: uvicorn's own workers got theirs so, and each response waited
    ~40 ms for the client's delayed ACK (44 ms for /health/live with 2 workers, 0.4 ms with 1;
    docs/decisions/0009). The balancer's handed sockets say 6, but latency must not depend on
    how a socket was rebuilt.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def limit_library_threads(threads: int) -> None:
    """At most `threads` threads per numeric library in this process and the ones it starts."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    threadpool_limits(threads)  # and in the BLAS and OpenMP runtimes loaded already


def run(
    settings: Settings,
    *,
    host: str,
    port: int,
    factory: str = APP_FACTORY,
    log_level: str = "info",
    access_log: bool = True,
) -> int:
    """Serve the app `factory` names from `settings.workers` processes; the exit code.

    More than one worker: behind the least-connections parent of `serving.balancer`.
    """
    import uvicorn

    from creatormatch.serving.balancer import serve

    limit_library_threads(settings.library_threads)
    config = uvicorn.Config(
        factory, factory=True, http=NoDelayH11Protocol, host=host, port=port,
        log_level=log_level, access_log=access_log,
    )  # fmt: skip
    if settings.workers == 1:
        uvicorn.Server(config).run()
        return 0
    return serve(config, settings.workers)
