from pathlib import Path

import pytest

from creatormatch.world import World, WorldParams, generate_world, write_world


@pytest.fixture(scope="session")
def small_world() -> World:
    return generate_world(WorldParams(n_creators=2_000, seed=5, n_brands=30))


@pytest.fixture(scope="session")
def small_dir(small_world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_world(small_world, tmp_path_factory.mktemp("world"), progress=False)
