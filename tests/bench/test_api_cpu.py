"""`bench api` attributes CPU to the server's workers from /proc, as the kernel counts it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from creatormatch.bench import children_cpu, cpu_split

BURN = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass\n"


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads /proc")
def test_children_cpu_counts_each_child_of_a_process_and_nothing_else() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys\n"
         f"burn = {BURN.format(seconds=0.6)!r}\n"
         "idle = 'import time; time.sleep(30)'\n"
         "busy = subprocess.Popen([sys.executable, '-c', burn + 'import time; time.sleep(30)'])\n"
         "calm = subprocess.Popen([sys.executable, '-c', idle])\n"
         "print(busy.pid, calm.pid, flush=True)\n"
         "busy.wait()"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert parent.stdout is not None
        busy, calm = map(int, parent.stdout.readline().split())
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and children_cpu(parent.pid).get(busy, 0.0) < 0.6:
            time.sleep(0.05)
        cpu = children_cpu(parent.pid)
        assert set(cpu) == {busy, calm}
        assert cpu[busy] >= 0.6 and cpu[calm] < cpu[busy]
        assert os.getpid() not in children_cpu(parent.pid)
    finally:
        for pid in children_cpu(parent.pid):
            os.kill(pid, 9)
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()


def test_cpu_split_is_per_request_and_names_the_busiest_worker_share() -> None:
    before = {10: 1.0, 11: 2.0}
    after = {10: 4.0, 11: 3.0, 12: 0.5}  # 12 started between the readings
    split = cpu_split(before, after, 100)
    assert split["cpu_ms_per_request"] == pytest.approx(1_000 * 4.5 / 100)
    assert split["busiest_worker_share"] == pytest.approx(3.0 / 4.5)
    assert cpu_split({}, {}, 100) == {"cpu_ms_per_request": None, "busiest_worker_share": None}
    assert cpu_split(before, after, 0)["cpu_ms_per_request"] is None
