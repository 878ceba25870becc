"""LightGBM models, saved as native text with a verified manifest: account, fraud, conversion,
reach."""

from creatormatch.models.account import DEFAULT_PARAMS as ACCOUNT_PARAMS
from creatormatch.models.account import DROPOUT_COPIES, AccountModel, score_accounts
from creatormatch.models.booster import Booster, BoosterParams
from creatormatch.models.calibration import LOW
from creatormatch.models.conversion import DEFAULT_PARAMS as CONVERSION_PARAMS
from creatormatch.models.conversion import ConversionEstimate, ConversionModel
from creatormatch.models.fraud import DEFAULT_PARAMS as FRAUD_PARAMS
from creatormatch.models.fraud import FraudModel, FraudReport, precision_threshold
from creatormatch.models.reach import ReachModel, rule_of_thumb
from creatormatch.models.reasons import Reason, reason_text

__all__ = [
    "ACCOUNT_PARAMS",
    "CONVERSION_PARAMS",
    "DROPOUT_COPIES",
    "FRAUD_PARAMS",
    "LOW",
    "AccountModel",
    "Booster",
    "BoosterParams",
    "ConversionEstimate",
    "ConversionModel",
    "FraudModel",
    "FraudReport",
    "ReachModel",
    "Reason",
    "precision_threshold",
    "reason_text",
    "rule_of_thumb",
    "score_accounts",
]
