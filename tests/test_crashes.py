"""Nothing lost: kill -9 at random and aimed points of ingest and train, and a CLI ingest racing
the API's upserts, each followed by a re-run (or `doctor --repair`) after which `doctor` is clean.

Every run is a real process killed with SIGKILL. A random kill lands in the work itself: the child
imports first, says "ready", and the kill comes a stratified random delay later, spread over how
long an uncut run takes. The aimed kills come right after a publication removed a manifest (the
index in ingest, the fraud model in train), through a patched `Path.unlink` in the child.
Each test prints its table: tried / killed (the rest finished first) / left inconsistent by the
kill (what `doctor` found before the re-run) / survived / lost.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home, verify
from creatormatch.features import CreatorRecord, load_embedder, read_records
from creatormatch.matching import (
    CreatorIndex,
    check_home,
    ingest_file,
    ingest_labels,
    ingest_outcomes,
    repair_home,
)
from creatormatch.store import Catalog
from creatormatch.training import train_all
from tests.conftest import niche_records
from tests.serving.conftest import bearer, copy_home, make_keys, open_client, train_small_models

pytestmark = pytest.mark.slow
EMBEDDER = load_embedder("hashing")
TRIALS = int(os.environ.get("CREATORMATCH_CRASH_TRIALS", "20"))
NO_ACCOUNT_DATA = "/nonexistent/account-data"  # the account model is published already
MODELS = ("account", "fraud", "conversion", "reach")

# The child: optionally die right after a manifest in directory $AIM is removed; import what the
# command needs before "ready", so the random kill lands in the work and not in the imports.
DRIVER = """
import os, signal, sys
from pathlib import Path
aim = os.environ.get("AIM")
if aim:
    unlink = Path.unlink
    def unlink_then_die(self, *args, **kwargs):
        unlink(self, *args, **kwargs)
        if self.name == "manifest.json" and self.parent.name == aim:
            os.kill(os.getpid(), signal.SIGKILL)
    Path.unlink = unlink_then_die
import creatormatch.matching, creatormatch.training
from creatormatch.cli import main
print("ready", flush=True)
sys.exit(main(sys.argv[1:]))
"""


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    return {**env, "CREATORMATCH_EMBEDDER": "hashing", "HF_HUB_OFFLINE": "1", **extra}


@dataclass
class Run:
    killed: bool
    returncode: int
    seconds: float  # from "ready" to its end


def run_child(argv: list[str], *, kill_after: float | None = None, aim: str = "") -> Run:
    """`creatormatch ARGV` in a child process, SIGKILLed `kill_after` s after it is ready."""
    with (
        tempfile.TemporaryFile("w+") as errors,
        subprocess.Popen(
            [sys.executable, "-c", DRIVER, *argv],
            stdout=subprocess.PIPE, stderr=errors, text=True,
            env=child_env(AIM=aim) if aim else child_env(),
        ) as child,
    ):  # fmt: skip
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            child.wait()
            errors.seek(0)
            pytest.fail(f"the child did not start: {errors.read()[-2000:]}")
        ready = time.monotonic()
        try:
            child.wait(timeout=kill_after)
            killed = False
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            killed = True
        return Run(killed or child.returncode == -signal.SIGKILL, child.returncode,
                   time.monotonic() - ready)  # fmt: skip


@dataclass
class Table:
    name: str
    tried: int = 0
    killed: int = 0
    broken: int = 0
    survived: int = 0
    lost: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, run: Run, broken: bool, problems: list[str], lost: int) -> None:
        self.tried += 1
        self.killed += run.killed
        self.broken += broken
        self.survived += not problems and not lost
        self.lost += lost
        self.notes += problems

    def line(self) -> str:
        return (
            f"{self.name}: tried {self.tried}, killed {self.killed} "
            f"({self.tried - self.killed} finished first), left inconsistent {self.broken}, "
            f"survived {self.survived}, "
            f"lost {self.lost}"
        )


def delays(seconds: float, n: int, seed: int) -> Iterator[float]:
    """n kill delays spread over (0, seconds]: one random point in each n-th of the run."""
    rng = random.Random(seed)
    for i in range(n):
        yield seconds * (i + rng.random()) / n


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two versions of a 600-creator world: the same creator ids, every record different (the
    fraud model needs a validation split that supports its bands)."""
    out = tmp_path_factory.mktemp("world")
    for name, seed in (("first", 5), ("second", 6)):
        argv = ["world", "--creators", "600", "--seed", str(seed), "--brands", "40"]
        assert main([*argv, "--out", str(out / name), "--no-progress", "--workers", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def trained(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The first world ingested, labelled, with outcomes, trained: all four models published."""
    home = Home(tmp_path_factory.mktemp("trained") / "home").ensure()
    ingest_file(home, world / "first" / "creators.jsonl", embedder=EMBEDDER, progress=False)
    ingest_labels(home, world / "first" / "fraud_labels.csv")
    ingest_outcomes(home, world / "first" / "outcomes.jsonl")
    train_small_models(home)  # the account model (a tiny one), so audience quality is scored
    train_all(home, embedder=EMBEDDER, data_dir=Path(NO_ACCOUNT_DATA))
    assert check_home(home).clean
    return home


def trial_homes(trained: Home, tmp_path: Path) -> Iterator[Home]:
    """A fresh copy of `trained` per trial, each at its own path (MLflow keeps a connection per
    database path: a new file at an old path reads as a read-only database to it)."""
    for i in range(TRIALS + 1):
        home = copy_home(trained, tmp_path / f"home{i}")
        yield home
        shutil.rmtree(home.root)


def rows(home: Home) -> tuple[int, int, int]:
    catalog = Catalog(home.catalog)
    try:
        return catalog.count(), len(catalog.labels()), len(catalog.outcomes())
    finally:
        catalog.close()


def lost_records(home: Home, records: list[CreatorRecord]) -> int:
    """Records of the file that are not in the catalog as sent, or not searchable."""
    catalog = Catalog(home.catalog)
    stored = {r.creator_id: r for r in catalog.records([r.creator_id for r in records])}
    catalog.close()
    indexed = set(CreatorIndex.load(home.index_dir).items_["creator_id"])
    return sum(stored.get(r.creator_id) != r or r.creator_id not in indexed for r in records)


def test_kill_9_anywhere_in_ingest_loses_nothing_once_ingest_runs_again(
    trained: Home, world: Path, tmp_path: Path
) -> None:
    source = world / "second" / "creators.jsonl"
    records = read_records(source).records
    argv = ["ingest", str(source), "--no-progress"]
    uncut = run_child(["--home", str(copy_home(trained, tmp_path / "uncut").root), *argv])
    assert uncut.returncode == 0
    table = Table("ingest")
    points = [("random", d) for d in delays(uncut.seconds * 1.1, TRIALS, seed=11)]
    trials = [*points, ("index manifest removed", None)]
    for (kind, delay), home in zip(trials, trial_homes(trained, tmp_path), strict=True):
        aim = "index" if delay is None else ""
        run = run_child(["--home", str(home.root), *argv], kill_after=delay, aim=aim)
        broken = not check_home(home).clean
        again = ingest_file(home, source, embedder=EMBEDDER, progress=False)  # the re-run
        problems = [f"{kind} {delay}: {f.line()}" for f in check_home(home).findings]
        table.add(run, broken, problems, lost_records(home, records))
        assert not again.rejections
    print(f"\n{table.line()}", *table.notes, sep="\n")
    assert (table.survived, table.lost) == (table.tried, 0), table.notes
    assert table.killed >= TRIALS // 2  # most kills landed before the run ended


def test_kill_9_anywhere_in_train_loses_nothing_once_repaired_or_trained_again(
    trained: Home, tmp_path: Path
) -> None:
    argv = ["train", "--data", NO_ACCOUNT_DATA]
    uncut = run_child(["--home", str(copy_home(trained, tmp_path / "uncut").root), *argv])
    assert uncut.returncode == 0
    before = rows(trained)
    table = Table("train")
    points = [("random", d) for d in delays(uncut.seconds * 1.1, TRIALS, seed=12)]
    trials = [*points, ("fraud manifest removed", None)]
    for (kind, delay), home in zip(trials, trial_homes(trained, tmp_path), strict=True):
        aim = "fraud" if delay is None else ""
        run = run_child(["--home", str(home.root), *argv], kill_after=delay, aim=aim)
        checkup = check_home(home)
        if not checkup.clean:
            repair_home(home, checkup, embedder=EMBEDDER)  # `doctor --repair`
        if not check_home(home).clean:  # a model cut short: only train brings it back
            train_all(home, embedder=EMBEDDER, data_dir=Path(NO_ACCOUNT_DATA))
        problems = [f"{kind} {delay}: {f.line()}" for f in check_home(home).findings]
        for name in MODELS:
            verify(home.model_dir(name))  # every model published and intact
        lost = sum(abs(a - b) for a, b in zip(rows(home), before, strict=True))
        table.add(run, not checkup.clean, problems, lost)
    print(f"\n{table.line()}", *table.notes, sep="\n")
    assert (table.survived, table.lost) == (table.tried, 0), table.notes
    assert table.killed >= TRIALS // 2


def test_a_cli_ingest_racing_api_upserts_leaves_every_creator_indexed(
    hashing_home: Home, tmp_path: Path
) -> None:
    """The issue's race: 30 creators ingested by the CLI while the server took upserts."""
    home = copy_home(hashing_home, tmp_path / "home")
    cli = [
        r.model_copy(update={"creator_id": f"cli{i:03d}"})
        for i, r in enumerate(niche_records(30, seed=7))
    ]
    source = tmp_path / "cli.jsonl"
    source.write_text("".join(r.model_dump_json(exclude_none=True) + "\n" for r in cli))
    api = [
        r.model_dump(mode="json", exclude_none=True) | {"creator_id": f"api{i:03d}"}
        for i, r in enumerate(niche_records(400, seed=8))
    ]
    keys = make_keys(home)
    with open_client(home) as client:
        client.headers.update(bearer(keys.acme))
        argv = ["--home", str(home.root), "ingest", str(source), "--no-progress"]
        with subprocess.Popen(
            [sys.executable, "-m", "creatormatch", *argv], env=child_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ) as ingest:  # fmt: skip
            sent, saw_cli = 0, 0  # upserts, and those whose index held the CLI's creators
            while ingest.poll() is None and sent < len(api) - 1:
                response = client.put("/v1/creators", json={"creators": [api[sent]]})
                assert response.status_code == 200, response.text
                sent += 1
                saw_cli += response.json()["index_size"] > 90 + sent
            out, err = ingest.communicate(timeout=120)
        assert ingest.returncode == 0, err
        assert out.startswith("30 read, 30 stored, 0 unchanged")
        last = client.put("/v1/creators", json={"creators": [api[sent]]}).json()
        assert last["index_size"] == 90 + 30 + sent + 1  # the server sees the CLI's creators
    catalog = Catalog(home.catalog)
    ids = set(catalog.creator_ids())
    catalog.close()
    assert {r.creator_id for r in cli} <= ids and len(ids) == 90 + 30 + sent + 1
    assert set(CreatorIndex.load(home.index_dir).items_["creator_id"]) == ids
    checkup = check_home(home)
    assert checkup.clean, checkup.lines()
    print(
        f"\nconcurrent ingest: 30 creators by the CLI, {sent + 1} by the API ({saw_cli} while "
        f"the CLI ran, on an index holding its creators), {len(ids)} indexed, doctor clean"
    )
