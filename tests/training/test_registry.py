from pathlib import Path

import pytest

from creatormatch.core import Home, NotFound, publish
from creatormatch.training import champion, log_and_register, versions


def test_each_training_run_registers_a_new_champion(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    publish(tmp_path / "model", {"model.txt": b"tree"}, {"name": "fraud"})
    first = log_and_register(
        home, name="fraud", model_dir=tmp_path / "model", params={"a": 1}, metrics={"auc": 0.9}
    )
    second = log_and_register(
        home, name="fraud", model_dir=tmp_path / "model", params={"a": 2}, metrics={"auc": 0.95}
    )
    assert (first.version, second.version) == (1, 2)
    assert champion(home, "fraud").version == 2
    assert (tmp_path / "home" / "mlflow.db").is_file()


def test_asking_for_an_untrained_model_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="creatormatch train"):
        champion(Home(tmp_path).ensure(), "conversion")


def test_two_first_users_of_a_new_registry_both_get_its_experiment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's registry watcher and a command meet a new home together: both look, find no
    experiment, and both create it. The one that comes second goes on with the first one's."""
    import mlflow

    home = Home(tmp_path / "home").ensure()
    publish(tmp_path / "model", {"model.txt": b"tree"}, {"name": "fraud"})
    register = dict(name="fraud", model_dir=tmp_path / "model", params={}, metrics={})
    log_and_register(home, **register)  # type: ignore[arg-type]
    looked = mlflow.MlflowClient.get_experiment_by_name
    calls: list[str] = []

    def too_early(client: mlflow.MlflowClient, name: str) -> object:
        calls.append(name)
        return None if len(calls) == 1 else looked(client, name)

    monkeypatch.setattr(mlflow.MlflowClient, "get_experiment_by_name", too_early)
    assert log_and_register(home, **register).version == 2  # type: ignore[arg-type]
    assert len(calls) == 2


def test_a_registry_call_leaves_mlflows_process_wide_uri_alone(tmp_path: Path) -> None:
    """A server's watcher reads its home's registry while a command in the same process trains
    into another: neither may point the other at its own registry."""
    import mlflow

    before = mlflow.get_tracking_uri()
    first, second = Home(tmp_path / "a").ensure(), Home(tmp_path / "b").ensure()
    publish(tmp_path / "model", {"model.txt": b"tree"}, {"name": "fraud"})
    log_and_register(first, name="fraud", model_dir=tmp_path / "model", params={}, metrics={})
    assert mlflow.get_tracking_uri() == before
    assert versions(second, "fraud") == [] and len(versions(first, "fraud")) == 1
