"""LightGBM models, saved as native text with a verified manifest: account, fraud, conversion,
reach."""

from models.account import AccountModel, score_accounts
from models.booster import Booster, BoosterParams
from models.conversion import ConversionEstimate, ConversionModel
from models.fraud import FraudModel, FraudReport
from models.reach import ReachModel

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
