"""The layout contract: one import name in the wheel, and every package inside a layer."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
import tomllib
import types
import zipfile
from pathlib import Path

import pytest

import creatormatch

ROOT = Path(__file__).resolve().parents[1]
UNSHIPPED = (".git", ".venv", ".creatormatch", "build", "*.egg-info", "__pycache__", ".*_cache")


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    return [name for layer in contract["layers"] for name in layer.split(" | ")]


def test_wheel_installs_exactly_one_top_level_name_with_the_page_assets(tmp_path: Path) -> None:
    # Built from a copy: setuptools leaves build/ and egg-info/ beside the sources it builds.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*UNSHIPPED))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("creatormatch-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"creatormatch"}
    assert {"features", "matching", "models", "training", "serving", "bench"} <= {
        name.split("/")[1] for name in names if name.startswith("creatormatch/")
    }
    assert "creatormatch/serving/page/index.html" in names


def test_every_subpackage_of_creatormatch_sits_in_a_layer_of_the_import_contract() -> None:
    package = Path(creatormatch.__file__).parent
    subpackages = {f"creatormatch.{path.parent.name}" for path in package.glob("*/__init__.py")}
    assert subpackages == set(_layers())


# Each package's public names: a change to a package's surface is a change to this table.
PUBLIC = {
    "core": """
        ArtifactError CreatorMatchError Forbidden Home IntegrityError InvalidInput MANIFEST
        InvalidRecords NotFitted NotFound NotReady Overloaded PayloadTooLarge RateLimited
        Settings Throttled Unauthorized adopt get_settings load_published publish sha256_file
        verify write_atomic
    """.split(),
    "features": """
        ACCOUNT_FIELDS CORE_FIELDS core_fields_only fields_used
        AGE_BUCKETS AUDIENCE_DIM AUDIENCE_FITS BLOCKS BLOCK_WEIGHTS COUNTRIES CREATOR_COLUMNS
        DEFAULT_PRECISION FEATURES FEATURE_GROUPS FRAUD_SIGNALS GENDERS INTERESTS LABEL
        MAX_CHARS MAX_LANGUAGES PLATFORM_CODES SUSPICIOUS_PROBABILITY Audience AudienceQuality
        BertShape Brief CampaignOutcome Codes Comment Count CreatorRecord CreatorSide Embeddings
        EngagementBenchmark Evidence FollowerPoint FraudLabel HashingEmbedder InputModel
        MiniLMEmbedder MiniLMQueryEmbedder Platform PositiveMoney Post Ragged RecordBatch
        Rejection SampledAccount Shares TextEmbedder Tier account_features audience_quality
        audience_quality_frame audience_vector audience_vectors benchmark_frame bin_label
        brief_clauses brief_vectors pitch_vector comment_signals content_hash content_text describe
        engagement_rate folded follower_bin follower_jumps fraud_evidence fraud_signal_frame
        from_ig_pd from_instafake from_kaggle from_sampled hashtag_words hashtags is_filler
        is_generic load_embedder load_query_embedder minilm_model neutral_audience pair_features
        pair_frame post_texts read_records tabular_frame target_vector tier_of validated_accounts
        wilson_interval with_creator_columns TOPICS TOPIC_TEXTS topic_profiles embedded_topics
        catalog_topics creator_topics brief_topics product_modifier product_attribute
        ATTRIBUTE_WEIGHT MODIFIER_WEIGHT TOPIC_WORD_WEIGHT PRODUCTS PRODUCT_WEIGHT product_topic
        CommentBaseline EVIDENCE_MINIMUMS MIN_SAMPLED_COMMENTERS MIN_SAMPLED_FOLLOWERS VS_LANGUAGE
        fraud_context
        SignalBatch fraud_signal_batch iter_rows jsonl_lines numbered_lines parse_json_line
        parse_record
        ContentTerms brief_stems content_terms matching_terms
        EmbedderKind
    """.split(),
    "models": """
        ACCOUNT_PARAMS CONVERSION_PARAMS DROPOUT_COPIES FRAUD_PARAMS LOW AccountModel Booster
        BoosterParams ConversionEstimate ConversionModel FraudModel FraudReport ReachModel
        Reason precision_threshold reason_text rule_of_thumb score_accounts
        EVIDENCE FRAUD_BANDS INSUFFICIENT FraudBand band_thresholds evidence_bands evidence_reason
        AccountParams ScoredAccounts
        BatchFraudScorer FraudScores TreeExplainer REACH_PARAMS Fitter estimates_at
        CompiledTrees compiled_trees probe_rows
    """.split(),
    "store": """
        QUALITY_COLUMNS READ SCOPES WRITE ApiKey Catalog SavedShortlist StoredCreator
        TenantStore catalog_problems fraud_reports missing_scores quality_frame refresh_scores
        refuse_damaged store_path writer_lease
        MAX_PASSWORD NamedShortlist NamedShortlists Session SignedIn User UserStore Workspace
        check_email check_password check_tenant hash_password verify_password
        creator_row
    """.split(),
    "matching": """
        CANDIDATES FEATURE_COLUMNS NO_ACCOUNT POOL Bundle CandidateTable Candidates Checkup
        CreatorIndex FilterColumns Filters Finding Hit Shortlist VectorWeights assemble
        attribute_frame audience_reason build_index check_home content_reason conversion_reason
        creator_vectors delete_creator expanded_from filters_of fit_budget fraud_reason gather
        get_creator ingest_file ingest_labels ingest_outcomes ingest_records joint_vectors
        load_bundle mmr_order pool_content query_vector read_catalog repair_home retrieve
        selection_mask settle shortlist similar upsert_creators content_score topic_agreement
        topical SideTableReport check_header
        ScoreSummary dask_client score_file ingest_on_cluster add_ivf_on input_source local_file
    """.split(),
    "training": """
        BM25 CATEGORIES INTENDED_USE KIM_DIR METHODS MISSING MODELS POSTS_FILE
        CampaignEvaluation ConversionData RegisteredVersion WriteFiles account_metrics
        aligned_labels baseline_pick binary_ndcg blank_groups campaigns_json champion
        conversion_data default_data_dir evaluate_conversion evaluate_fraud
        evaluate_home evaluate_intensities evaluate_matching features_and_labels
        format_campaigns format_table heldout_home heldout_json heldout_report heuristic_scores
        home_dir kim_creators load_briefs load_evaluated_model load_sets
        log_and_register mark_published mean_ndcg ndcg_at_k precision_at_k promote
        published_version read_posts sample_creators score_pick summary_json sync_champions
        top_k train_account_model train_all train_conversion train_fraud train_reach
        trained_home validation_rows versions write_fraud_report
        YOUTUBE_DIR EvalBrief LabelledCreators kim_sample youtube_creators
        INTENSITIES MIN_SEGMENT HeldOut evaluate_heldout goals group_fpr permutation_p
        write_heldout_plots pooled_fairness pooled_section banded_world
        GATES HEADLINE REASONS Comparison Decision EvalSet Gate Screened Verdict artifact_id
        cap_shares code_version compare_versions headline judge latest_evalset outcome_weights
        reach_weights challenge_accounts
        rows_hash screen_outcomes version_info Training challenge judge_for freeze_evalset
        STATUSES Check MonitorResult Reference RequestWindow Thresholds account_report
        conversion_report ks load_snapshot monitor_dir monitor_json psi publish_reports
        reach_report read_monitor run_monitor write_monitor_report write_training_snapshot
        ClusterFitter train_on_partitions
    """.split(),
    "serving": """
        CANARY FAILED_AUTH_BURST ConcurrencyLimit RateLimiter create_app install
        limit_library_threads run status_of
    """.split(),
    "bench": """
        children_cpu cpu_split
    """.split(),
    "world": """
        ARCHETYPES FRAUD_ARCHETYPES LOOKALIKES PREVALENCE TIER_NAMES World WorldParams
        audience_fit creator_row expected_conversions generate_world synthetic_fraud_data
        write_world
    """.split(),
}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_each_package_exports_exactly_its_pinned_public_names_and_each_resolves(
    package: str,
) -> None:
    module = importlib.import_module(f"creatormatch.{package}")
    assert sorted(module.__all__) == sorted(PUBLIC[package])
    for name in module.__all__:
        assert not isinstance(getattr(module, name), types.ModuleType), name


def test_tests_import_names_from_packages_not_from_their_modules() -> None:
    """`from creatormatch.features.pairs import x` reaches past the surface; `routes` modules
    are imported whole, to patch them; a command's own helpers (`cli.shortlist`, `cli.evaluate`)
    are tested without running the command; `world.evaluation` and `world.niche_eval` stay out
    of the world's `__init__` so that generating a world does not load the training stack."""
    reaching = []
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if (
                module.startswith("creatormatch.")
                and module.count(".") >= 2
                and not module.endswith(
                    (
                        ".routes",
                        ".cli.shortlist",
                        ".cli.evaluate",
                        ".world.evaluation",
                        ".world.niche_eval",
                    )
                )
            ):
                reaching.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    assert reaching == []
