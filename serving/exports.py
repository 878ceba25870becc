"""A shortlist as a file: CSV, or XLSX (openpyxl) with a summary sheet of brief and spend.

Text that a spreadsheet would run as a formula (a handle or reason starting with `=`, `+`, `-`,
`@`, a tab or a carriage return) is written with a leading `'`, so opening an export never runs
what a creator wrote into their profile.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from creatormatch.serving.workspace_schemas import NamedShortlistResponse

COLUMNS = (
    "rank", "creator_id", "handle", "platform", "tier", "followers", "score",
    "predicted_conversions", "conversions_low", "conversions_high", "price_per_post",
    "fraud_probability", "fraud_band", "fraud_reasons", "reasons", "pinned",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rows(saved: NamedShortlistResponse) -> list[list[Any]]:
    """One row per listed creator, in COLUMNS order; None where a value is unknown."""
    pinned = set(saved.pinned)
    out = []
    for i in saved.result.items:
        low, high = i.conversions_interval or (None, None)
        out.append(
            [_safe(v) for v in (
                i.rank, i.creator_id, i.handle, i.platform, i.tier, i.followers, i.score,
                i.predicted_conversions, low, high, i.price_per_post, i.fraud_probability,
                i.fraud_band, " | ".join(i.fraud_reasons), " | ".join(i.reasons),
                i.creator_id in pinned,
            )]
        )  # fmt: skip
    return out


def to_csv(saved: NamedShortlistResponse) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(["" if v is None else v for v in row] for row in rows(saved))
    return buffer.getvalue().encode()


def _summary(saved: NamedShortlistResponse) -> list[tuple[str, Any]]:
    spend = saved.spend
    return [
        ("name", _safe(saved.name)),
        ("brief", _safe(str(saved.brief.get("text", "")))),
        ("creators", len(saved.result.items)),
        ("total spend", spend.total),
        ("budget", spend.budget),
        ("remaining", spend.remaining),
        ("creators without a price", spend.unpriced),
        ("campaign", _safe(saved.campaign_id)),
        ("updated at", saved.updated_at),
    ]


def to_xlsx(saved: NamedShortlistResponse) -> bytes:
    from openpyxl import Workbook  # only an export needs it

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Shortlist"
    sheet.append(COLUMNS)
    for row in rows(saved):
        sheet.append(row)
    summary = book.create_sheet("Summary")
    for label, value in _summary(saved):
        summary.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
