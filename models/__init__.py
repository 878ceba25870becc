"""LightGBM models, saved as native text with a verified manifest: account, fraud, conversion,
reach."""

from creatormatch.models.account import AccountModel, score_accounts
from creatormatch.models.booster import Booster, BoosterParams
from creatormatch.models.conversion import ConversionEstimate, ConversionModel
from creatormatch.models.fraud import FraudModel, FraudReport
from creatormatch.models.reach import ReachModel

__all__ = [
    "AccountModel",
    "Booster",
    "BoosterParams",
    "ConversionEstimate",
    "ConversionModel",
    "FraudModel",
    "FraudReport",
    "ReachModel",
    "score_accounts",
]
