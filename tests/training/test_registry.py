from pathlib import Path

import pytest

from creatormatch.core import Home, NotFound, publish
from creatormatch.training import champion, log_and_register


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

    home = Home(tmp_path).ensure()
    with pytest.raises(NotFound):
        champion(home, "fraud")  # the first user creates the experiment
    monkeypatch.setattr(mlflow, "get_experiment_by_name", lambda name: None)  # looked too early
    with pytest.raises(NotFound, match="creatormatch train"):
        champion(home, "fraud")
