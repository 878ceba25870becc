"""Fitting, evaluation and the MLflow registry (mlflow is imported only in `registry`)."""

from creatormatch.training.conversion import (
    ConversionData,
    conversion_data,
    evaluate_conversion,
    mean_ndcg,
    train_conversion,
    train_reach,
)
from creatormatch.training.registry import RegisteredVersion, champion, log_and_register

__all__ = [
    "ConversionData",
    "RegisteredVersion",
    "champion",
    "conversion_data",
    "evaluate_conversion",
    "log_and_register",
    "mean_ndcg",
    "train_conversion",
    "train_reach",
]
