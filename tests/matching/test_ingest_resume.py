"""A distributed ingest in partitions stores what one machine stores; a run whose driver died is
resumed with only the missing partitions prepared, a worker killed mid-run costs its partitions
only, and inputs at fsspec URLs read as the plain path (scale extra; a real 2-worker cluster)."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fsspec
import pytest

from creatormatch.cli import main
from creatormatch.core import Home, InvalidInput, get_settings
from creatormatch.features import LABEL, account_features, load_embedder
from creatormatch.matching import (
    dask_client,
    ingest_file,
    ingest_on_cluster,
    input_source,
    local_file,
    score_file,
)
from creatormatch.models import AccountModel
from creatormatch.store import Catalog
from creatormatch.training import default_data_dir, load_sets
from creatormatch.world import WorldParams, generate_world
from tests.batch_home import catalog_contents

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

ROWS = 40  # rows per partition: 8 partitions of the input below
EMBEDDER = load_embedder("hashing")


class DriverDied(Exception):
    pass


@dataclass(frozen=True)
class Alone:
    """The single-machine ingest of the input: what every other run must equal."""

    home: Home
    counts: tuple[int, int, int, int]  # read, stored, unchanged, embedded
    rejections: list[str]


@pytest.fixture(scope="module")
def creators(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 world creators; bad lines in the first and a late partition; a creator's second
    record near the end (the last one wins)."""
    raws = list(generate_world(WorldParams(seed=9, n_creators=300)).records())
    lines = [json.dumps(raw, default=str) for raw in raws]
    lines[3:3] = ["{not json", json.dumps({"creator_id": "neg", "followers": -1}), ""]
    lines.insert(250, json.dumps({"creator_id": "late", "posts": "none"}))
    lines.append(json.dumps({**raws[10], "followers": 12_345}, default=str))
    path = tmp_path_factory.mktemp("input") / "creators.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def alone(creators: Path, tmp_path_factory: pytest.TempPathFactory) -> Alone:
    home = Home(tmp_path_factory.mktemp("alone") / "home")
    report = ingest_file(home, creators, embedder=EMBEDDER, progress=False)
    counts = (report.read, report.stored, report.unchanged, report.embedded)
    return Alone(home, counts, [str(r) for r in report.rejections])


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with dask_client(workers=2, scheduler=None) as client:
        yield client


def _ingest(client: Any, home: Home, source: str | Path) -> Any:
    return ingest_on_cluster(client, home, source, embedder=EMBEDDER, kind="hashing", rows=ROWS)


def _staged(home: Home) -> list[str]:
    return sorted(p.name for p in (home.root / "staging").glob("ingest-*/*"))


def _assert_same_as(report: Any, home: Home, alone: Alone) -> None:
    counts = (report.read, report.stored - 1, report.unchanged, report.embedded)
    assert counts == alone.counts  # the twice-read creator is stored twice, once per partition
    assert [str(r) for r in report.rejections] == alone.rejections
    assert catalog_contents(home) == catalog_contents(alone.home)
    assert _staged(home) == []


def _tasks(stream: Any, name: str) -> int:
    return sum(1 for task in stream.data if str(task["key"]).startswith(name))


def _at_merge(monkeypatch: pytest.MonkeyPatch, number: int, act: Callable[[], None]) -> None:
    """`act()` when the driver is about to store the records of its `number`th partition."""
    upsert = Catalog.upsert_rows
    merges: list[int] = []

    def upsert_rows(catalog: Catalog, values: Any) -> None:
        merges.append(len(values))
        if len(merges) == number:
            act()
        upsert(catalog, values)

    monkeypatch.setattr(Catalog, "upsert_rows", upsert_rows)


def _die() -> None:
    raise DriverDied


def test_an_ingest_in_partitions_stores_what_one_machine_stores(
    creators: Path, alone: Alone, client: Any, tmp_path: Path
) -> None:
    home = Home(tmp_path / "home")
    with distributed.get_task_stream(client) as stream:
        report = _ingest(client, home, creators)
    assert (report.partitions, report.prepared, report.resumed, report.reused) == (8, 8, 0, 0)
    assert _tasks(stream, "prepare_on_worker") == 8
    assert alone.rejections[-1].startswith("line 251 (late): posts")
    _assert_same_as(report, home, alone)
    assert "resumed" not in report.summary()


def test_a_run_whose_driver_died_resumes_with_only_the_missing_partitions_prepared(
    creators: Path, alone: Alone, client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Home(tmp_path / "home")
    _at_merge(monkeypatch, 4, _die)
    with pytest.raises(DriverDied):
        _ingest(client, home, creators)
    monkeypatch.undo()
    merged = [n for n in _staged(home) if n.endswith(".merged.json")]
    assert merged == [f"part-{n:05d}.merged.json" for n in range(3)]

    with distributed.get_task_stream(client) as stream:
        report = _ingest(client, home, creators)
    assert (report.partitions, report.resumed, report.reused + report.prepared) == (8, 3, 5)
    assert report.reused >= 1  # the partition whose merge died, at least, was prepared before
    assert report.prepared == _tasks(stream, "prepare_on_worker")
    assert report.summary().endswith(
        f"; resumed: 3 of 8 partitions already merged, {report.reused} already prepared"
    )
    assert str(report.rejections[0]).startswith("line 4: not JSON")  # from the ledger
    _assert_same_as(report, home, alone)


def test_a_partition_whose_input_changed_since_the_cut_is_prepared_afresh(
    creators: Path, client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "creators.jsonl"
    source.write_bytes(creators.read_bytes())
    home = Home(tmp_path / "home")
    _at_merge(monkeypatch, 4, _die)
    with pytest.raises(DriverDied):
        _ingest(client, home, source)
    monkeypatch.undo()
    lines = source.read_text().splitlines()
    record = json.loads(lines[50])  # partition 1
    lines[50] = json.dumps({**record, "bio": "now a chess streamer"})
    source.write_text("\n".join(lines) + "\n")
    report = _ingest(client, home, source)
    assert (report.resumed, report.partitions) == (1, 8)
    again = Home(tmp_path / "alone")
    ingest_file(again, source, embedder=EMBEDDER, progress=False)
    contents: dict[str, Any] = catalog_contents(home)
    assert contents == catalog_contents(again)
    assert "now a chess streamer" in [r.bio for r in contents["records"]]


def test_a_worker_killed_mid_run_costs_its_partitions_only(
    creators: Path, alone: Alone, client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Home(tmp_path / "home")
    pids = client.run(os.getpid)
    victim = sorted(pids)[0]
    _at_merge(monkeypatch, 3, lambda: os.kill(pids[victim], signal.SIGKILL))
    report = _ingest(client, home, creators)
    monkeypatch.undo()
    client.wait_for_workers(2)
    assert pids[victim] not in client.run(os.getpid).values()
    assert report.partitions == 8 and report.prepared > 8  # the victim's partitions, again
    _assert_same_as(report, home, alone)


def test_inputs_at_file_and_memory_urls_ingest_as_the_plain_path(
    creators: Path, alone: Alone, client: Any, tmp_path: Path
) -> None:
    memory = "memory://inputs/creators.jsonl"
    fsspec.filesystem("memory").pipe("/inputs/creators.jsonl", creators.read_bytes())
    assert input_source(creators.as_uri(), flag="FILE") == creators
    for n, url in enumerate((creators.as_uri(), memory)):
        home = Home(tmp_path / f"spread{n}")
        _assert_same_as(_ingest(client, home, url), home, alone)
    with local_file(input_source(memory, flag="FILE"), flag="FILE") as path:
        home = Home(tmp_path / "single")
        single = ingest_file(home, path, embedder=EMBEDDER, progress=False)
    assert (single.read, single.stored, single.unchanged, single.embedded) == alone.counts
    assert catalog_contents(home) == catalog_contents(alone.home)


def test_accounts_scored_from_a_memory_url_equal_those_from_the_plain_path(
    tmp_path: Path,
) -> None:
    kaggle, accounts = (load_sets(default_data_dir())[name] for name in ("kaggle", "kaggle_test"))
    home = Home(tmp_path / "home")
    AccountModel().fit(account_features(kaggle), kaggle[LABEL]).save(home.model_dir("account"))
    source = tmp_path / "accounts.parquet"
    accounts.drop(columns=[LABEL]).head(90).to_parquet(source)
    fsspec.filesystem("memory").pipe("/score/accounts.parquet", source.read_bytes())
    url = input_source("memory://score/accounts.parquet", flag="--input")
    score_file("accounts", home, url, tmp_path / "url.csv", chunk=40)
    score_file("accounts", home, source, tmp_path / "path.csv", chunk=40)
    assert (tmp_path / "url.csv").read_bytes() == (tmp_path / "path.csv").read_bytes()
    assert len((tmp_path / "url.csv").read_text().splitlines()) == 91


@pytest.fixture()
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    monkeypatch.setenv("CREATORMATCH_EMBEDDER", "hashing")
    get_settings.cache_clear()
    yield Home(tmp_path / "home")
    get_settings.cache_clear()
    gc.unfreeze()  # a one-shot command freezes what it loaded


def test_the_command_line_ingests_a_memory_url_and_says_what_it_resumed(
    creators: Path, alone: Alone, cli_home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    fsspec.filesystem("memory").pipe("/cli/creators.jsonl", creators.read_bytes())
    code = main(["--home", str(cli_home.root), "ingest", "memory://cli/creators.jsonl",
                 "--no-progress"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1 and "rejected line 251 (late)" in err
    assert out.startswith(f"{alone.counts[0]} read, {alone.counts[1]} stored")
    assert catalog_contents(cli_home) == catalog_contents(alone.home)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nope://bucket/creators.jsonl", r"FILE: cannot read nope://bucket/creators\.jsonl: no "),
        ("memory://absent/creators.jsonl", r"FILE: no such file: memory://absent/creators\.jsonl"),
    ],
)
def test_an_unknown_protocol_or_a_missing_url_is_refused_naming_it(
    url: str, expected: str, cli_home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    with (
        pytest.raises(InvalidInput, match=expected),
        local_file(input_source(url, flag="FILE"), flag="FILE"),
    ):
        pass
    assert main(["--home", str(cli_home.root), "ingest", url]) == 2
    assert url in capsys.readouterr().err


def test_a_protocol_whose_package_is_missing_names_the_package(
    cli_home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    if importlib.util.find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed: the URL would be read")
    url = "s3://bucket/creators.jsonl"
    assert main(["--home", str(cli_home.root), "ingest", url]) == 2
    err = capsys.readouterr().err
    assert url in err and "Install s3fs" in err
