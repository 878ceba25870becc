"""MLflow tracking and model registry: the only module that imports mlflow.

Each training run logs its parameters, metrics, plots and the model directory, then registers a
new model version under an alias: `challenger` for what `creatormatch train` fits, `champion`
once it passes its gates (aliases, never stages). Lineage and the gates' decision are tags of the
version (`lineage.*`, `decision`).

Every function takes the registry's `tracking_uri` from its caller (`Settings.mlflow_tracking_uri`,
read at the edges); None is the home's own SQLite registry, `<home>/mlflow.db`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creatormatch.core import Home, NotFound

EXPERIMENT = "creatormatch"
CHAMPION = "champion"
CHALLENGER = "challenger"
PROGRESS_BAR = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"


@dataclass(frozen=True)
class RegisteredVersion:
    name: str
    version: int
    run_id: str


def _client(home: Home, tracking_uri: str | None) -> Any:
    """A client bound to this home's registry.

    The URI is the client's own, never mlflow's process-wide one: a server's registry watcher
    and a command in the same process may use different homes at the same moment.
    """
    from mlflow import MlflowClient

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    uri = home.tracking_uri(tracking_uri)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _experiment_id(home: Home, client: Any) -> str:
    from mlflow.exceptions import MlflowException

    found = client.get_experiment_by_name(EXPERIMENT)
    if found is not None:
        return str(found.experiment_id)
    artifacts = (home.root / "mlartifacts").resolve().as_uri()
    try:
        return str(client.create_experiment(EXPERIMENT, artifact_location=artifacts))
    except MlflowException as error:
        # A server's registry watcher and a command first using a new home both found no
        # experiment and both created it: the second goes on with the first one's.
        if error.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
    return str(client.get_experiment_by_name(EXPERIMENT).experiment_id)


def log_and_register(
    home: Home,
    *,
    name: str,
    model_dir: Path,
    params: dict[str, Any],
    metrics: dict[str, float],
    files: Sequence[Path] = (),
    tracking_uri: str | None = None,
    alias: str = CHAMPION,
    tags: Mapping[str, str] | None = None,
) -> RegisteredVersion:
    """Log one training run and register `model_dir` as a new version aliased `alias`, with
    `tags` on both the run and the version."""
    from mlflow.entities import Metric, Param, RunStatus

    client = _client(home, tracking_uri)
    run = client.create_run(_experiment_id(home, client), run_name=name, tags=dict(tags or {}))
    run_id = run.info.run_id
    now_ms = int(time.time() * 1000)
    try:
        client.log_batch(
            run_id,
            metrics=[Metric(key, value, now_ms, 0) for key, value in metrics.items()],
            params=[Param(key, str(value)[:500]) for key, value in params.items()],
        )
        client.log_artifacts(run_id, str(model_dir), artifact_path="model")
        for path in files:
            client.log_artifact(run_id, str(path), artifact_path="reports")
    except BaseException:
        client.set_terminated(run_id, RunStatus.to_string(RunStatus.FAILED))
        raise
    client.set_terminated(run_id)
    if client.search_registered_models(filter_string=f"name = '{name}'") == []:
        client.create_registered_model(name)
    version = client.create_model_version(
        name, source=f"{run.info.artifact_uri}/model", run_id=run_id, tags=tags
    )
    client.set_registered_model_alias(name, alias, version.version)
    return RegisteredVersion(name, int(version.version), run_id)


def champion(home: Home, name: str, *, tracking_uri: str | None = None) -> RegisteredVersion:
    """The version the `champion` alias of `name` points at."""
    from mlflow.exceptions import MlflowException

    try:
        version = _client(home, tracking_uri).get_model_version_by_alias(name, CHAMPION)
    except MlflowException as error:
        raise NotFound(
            f"no '{CHAMPION}' version of model {name!r}: run `creatormatch train`"
        ) from error
    return RegisteredVersion(name, int(version.version), version.run_id)


def promote(home: Home, name: str, version: int, *, tracking_uri: str | None = None) -> None:
    """Point the `champion` alias of `name` at `version` (which must exist)."""
    from mlflow.exceptions import MlflowException

    client = _client(home, tracking_uri)
    try:
        client.get_model_version(name, str(version))
    except MlflowException as error:
        raise NotFound(f"no version {version} of model {name!r} in the registry") from error
    client.set_registered_model_alias(name, CHAMPION, str(version))


def _row(client: Any, version: Any, best: int | None) -> dict[str, Any]:
    run = client.get_run(version.run_id)
    return {
        "version": int(version.version), "champion": int(version.version) == best,
        "metrics": dict(run.data.metrics), "created_ms": int(version.creation_timestamp),
        "tags": dict(version.tags or {}), "aliases": sorted(version.aliases or []),
    }  # fmt: skip


def _champion_number(client: Any, name: str) -> int | None:
    from mlflow.exceptions import MlflowException

    try:
        return int(client.get_model_version_by_alias(name, CHAMPION).version)
    except MlflowException:
        return None


def versions(home: Home, name: str, *, tracking_uri: str | None = None) -> list[dict[str, Any]]:
    """Every registered version of `name`, newest first: version, champion, metrics, created,
    tags (lineage, decision) and aliases."""
    client = _client(home, tracking_uri)
    found = client.search_model_versions(f"name = '{name}'")
    best = _champion_number(client, name)
    return [_row(client, v, best) for v in sorted(found, key=lambda v: -int(v.version))]


def version_info(
    home: Home, name: str, number: int, *, tracking_uri: str | None = None
) -> dict[str, Any]:
    """One registered version of `name`, as `versions` lists it; NotFound if there is none."""
    from mlflow.exceptions import MlflowException

    client = _client(home, tracking_uri)
    try:
        found = client.get_model_version(name, str(number))
    except MlflowException as error:
        raise NotFound(f"no version {number} of model {name!r} in the registry") from error
    return _row(client, found, _champion_number(client, name))


def download(
    home: Home, name: str, version: int, destination: Path, *, tracking_uri: str | None = None
) -> Path:
    """Copy the published model directory of one registered version into `destination`."""
    import mlflow

    uri = home.tracking_uri(tracking_uri)
    source = _client(home, tracking_uri).get_model_version(name, str(version)).source
    # mlflow draws a progress bar per download on stderr unless told not to, in the environment.
    saved = os.environ.get(PROGRESS_BAR)
    os.environ[PROGRESS_BAR] = "false"
    try:
        path = mlflow.artifacts.download_artifacts(
            artifact_uri=source, dst_path=str(destination), tracking_uri=uri, registry_uri=uri
        )
    finally:
        if saved is None:
            os.environ.pop(PROGRESS_BAR, None)
        else:
            os.environ[PROGRESS_BAR] = saved
    return Path(path)
