"""`creatormatch demo`: world → ingest → train → shortlist → serve, on embedded defaults."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from creatormatch.cli import home_of
from creatormatch.cli.serve import serve
from creatormatch.cli.shortlist import render_table

if TYPE_CHECKING:
    from creatormatch.core import Home
    from creatormatch.features import Brief, TextEmbedder


def example_brief() -> Brief:
    from creatormatch.features import Brief

    return Brief(
        text=(
            "We sell plant-based protein powder for women who work out at home. Looking for "
            "creators who share home workouts, healthy meal prep and honest supplement reviews."
        ),
        countries={"US": 0.6, "GB": 0.4},
        ages=["18-24", "25-34"],
        genders=["female"],
        interests=["fitness", "wellness", "food"],
        k=10,
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("demo", help="run the whole system end to end on a synthetic world")
    parser.add_argument("--creators", type=int, default=2_000, help="world size (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-serve", action="store_true", help="stop after the shortlist")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(func=run)


def _step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.perf_counter()


def _done(started: float) -> None:
    print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)


def build(
    home: Home, creators: int, seed: int, *, embedder: TextEmbedder, tracking_uri: str | None
) -> None:
    from creatormatch.matching import ingest_file, ingest_labels, ingest_outcomes
    from creatormatch.training import train_all
    from creatormatch.world import WorldParams, generate_world, write_world

    started = _step(f"world: {creators} synthetic creators, seed {seed}")
    world_dir = home.ensure().root / "world"
    write_world(generate_world(WorldParams(n_creators=creators, seed=seed)), world_dir)
    _done(started)
    started = _step("ingest: validate, featurise, embed (MiniLM), index (FAISS)")
    print("   " + ingest_file(home, world_dir / "creators.jsonl", embedder=embedder).summary())
    ingest_labels(home, world_dir / "fraud_labels.csv")
    ingest_outcomes(home, world_dir / "outcomes.jsonl")
    _done(started)
    started = _step("train: account, fraud and conversion models → MLflow (alias champion)")
    for line in train_all(home, embedder=embedder, tracking_uri=tracking_uri).lines():
        print("   " + line)
    _done(started)


def show_shortlist(home: Home, brief: Brief, *, embedder: TextEmbedder) -> None:
    from creatormatch.matching import load_bundle, shortlist

    started = _step(f"shortlist: {brief.text}")
    bundle = load_bundle(home, embedder=embedder, resident=False)
    print(render_table(shortlist(bundle, brief)))
    bundle.catalog.close()
    _done(started)


def run(args: argparse.Namespace) -> int:
    from creatormatch.core import get_settings
    from creatormatch.features import load_embedder
    from creatormatch.store import TenantStore

    home, settings, brief = home_of(args), get_settings(), example_brief()
    embedder = load_embedder(settings.embedder)
    build(
        home, args.creators, args.seed, embedder=embedder, tracking_uri=settings.mlflow_tracking_uri
    )
    show_shortlist(home, brief, embedder=embedder)
    if args.no_serve:
        return 0
    url = f"http://{args.host}:{args.port}"
    body = Path(home.root / "example-brief.json")
    body.write_text(brief.model_dump_json(exclude_defaults=True).replace('"text"', '"brief"'))
    store = TenantStore.of(home)
    _, key = store.create_key("demo")
    store.close()
    print(f"\n== serving on {url}  (Ctrl-C to stop); the page is at {url}/")
    print(f"   an API key for tenant 'demo': {key}\n   try:")
    print(
        f"   curl -s -X POST {url}/v1/shortlists -H 'Authorization: Bearer {key}' "
        f"-H 'Content-Type: application/json' -d @{body.resolve()}"
    )
    return serve(home, args.host, args.port)
