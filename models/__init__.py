"""The models, saved as text with a verified manifest (never pickled): account (a logistic
regression), fraud, conversion and reach (LightGBM)."""

from creatormatch.models.account import DEFAULT_PARAMS as ACCOUNT_PARAMS
from creatormatch.models.account import (
    DROPOUT_COPIES,
    AccountModel,
    AccountParams,
    ScoredAccounts,
    score_accounts,
)
from creatormatch.models.booster import Booster, BoosterParams, Fitter
from creatormatch.models.calibration import LOW
from creatormatch.models.compiled_trees import CompiledTrees, compiled_trees, probe_rows
from creatormatch.models.conversion import DEFAULT_PARAMS as CONVERSION_PARAMS
from creatormatch.models.conversion import ConversionEstimate, ConversionModel, estimates_at
from creatormatch.models.fraud import DEFAULT_PARAMS as FRAUD_PARAMS
from creatormatch.models.fraud import FraudModel, FraudReport
from creatormatch.models.fraud_bands import (
    FRAUD_BANDS,
    INSUFFICIENT,
    FraudBand,
    band_thresholds,
    evidence_bands,
    precision_threshold,
)
from creatormatch.models.fraud_batch import BatchFraudScorer, FraudScores
from creatormatch.models.reach import DEFAULT_PARAMS as REACH_PARAMS
from creatormatch.models.reach import ReachModel, rule_of_thumb
from creatormatch.models.reasons import EVIDENCE, Reason, evidence_reason, reason_text
from creatormatch.models.tree_shap import TreeExplainer

__all__ = [
    "ACCOUNT_PARAMS",
    "CONVERSION_PARAMS",
    "DROPOUT_COPIES",
    "EVIDENCE",
    "FRAUD_BANDS",
    "FRAUD_PARAMS",
    "INSUFFICIENT",
    "LOW",
    "REACH_PARAMS",
    "AccountModel",
    "AccountParams",
    "BatchFraudScorer",
    "Booster",
    "BoosterParams",
    "CompiledTrees",
    "ConversionEstimate",
    "ConversionModel",
    "Fitter",
    "FraudBand",
    "FraudModel",
    "FraudReport",
    "FraudScores",
    "ReachModel",
    "Reason",
    "ScoredAccounts",
    "TreeExplainer",
    "band_thresholds",
    "compiled_trees",
    "estimates_at",
    "evidence_bands",
    "evidence_reason",
    "precision_threshold",
    "probe_rows",
    "reason_text",
    "rule_of_thumb",
    "score_accounts",
]
