"""Campaign reports: each creator's predicted against actual conversions, cost per conversion,
and the spend against the budget.

The prediction of a creator comes, in this order of preference, from:
1. the saved shortlist booked for the campaign (`campaign_id` set on it): the conversions it
   listed the creator with, for the impressions it expected when the list was made (what the
   team was promised);
2. the conversion model now served, for the brief of that shortlist or, without one, the brief
   the outcomes carry: its rate per impression times the impressions the campaign delivered;
3. nothing (no brief, no model, or a creator no longer in the catalog): null, with a note.
Each row says which (`predicted_from`). The budget is the brief's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from creatormatch.features import Brief, CampaignOutcome, brief_vectors, with_creator_columns
from creatormatch.matching import Bundle, Shortlist, read_catalog
from creatormatch.serving.state import ServiceState
from creatormatch.serving.workspace_schemas import CampaignReport, CreatorResult
from creatormatch.store import NamedShortlist


def modelled(bundle: Bundle, brief: Brief, outcomes: Sequence[CampaignOutcome]) -> dict[str, float]:
    """creator_id → the conversion model's rate for `brief` × the impressions delivered, for
    the creators of `outcomes` that the catalog holds (none without a conversion model)."""
    known = bundle.catalog.stored_hashes([o.creator_id for o in outcomes])
    rows = [o for o in outcomes if o.creator_id in known]
    if bundle.conversion is None or not rows:
        return {}
    text = brief_vectors(bundle.embedder, [brief.text])[0]  # (dim,)
    gathered = read_catalog(bundle, brief, [o.creator_id for o in rows], text)
    rate = bundle.conversion.rate(with_creator_columns(gathered.pairs, gathered.features))
    return {o.creator_id: float(r * o.impressions) for o, r in zip(rows, rate, strict=True)}


Prediction = tuple[float | None, Literal["shortlist", "model"] | None]


def _row(outcome: CampaignOutcome, handle: str | None, predicted: Prediction) -> CreatorResult:
    value, source = predicted
    spend, conversions = outcome.spend, outcome.conversions
    return CreatorResult(
        creator_id=outcome.creator_id,
        handle=handle,
        impressions=outcome.impressions,
        clicks=outcome.clicks,
        conversions=conversions,
        spend=spend,
        cost_per_conversion=spend / conversions if spend is not None and conversions else None,
        predicted_conversions=value,
        predicted_from=source,
    )


NOT_BOOKED = (
    "no saved shortlist is booked for this campaign: predictions are the conversion model's for "
    "the campaign's brief and the impressions delivered"
)
NO_BRIEF = (
    "the outcomes carry no brief and no saved shortlist gives one: creators outside a booked "
    "shortlist have no prediction"
)
NO_MODEL = "no conversion model is served: run `creatormatch train`"


def _promised(saved: NamedShortlist | None) -> dict[str, float]:
    """creator_id → the conversions the booked shortlist listed the creator with."""
    if saved is None:
        return {}
    items = Shortlist.model_validate(saved.result).items
    return {
        i.creator_id: i.predicted_conversions for i in items if i.predicted_conversions is not None
    }


def campaign_report(state: ServiceState, tenant: str, campaign_id: str) -> CampaignReport:
    outcomes = state.tenants.outcomes(tenant, campaign_id)  # NotFound for another tenant's
    bundle = state.require().bundle
    saved = state.named.for_campaign(tenant, campaign_id)
    promised = _promised(saved)
    brief = next((o.brief for o in outcomes if o.brief is not None), None)
    if saved is not None:
        brief = Brief.model_validate(saved.brief)
    rest = [o for o in outcomes if o.creator_id not in promised]
    model = modelled(bundle, brief, rest) if brief is not None and rest else {}
    notes = [] if saved is not None else [NOT_BOOKED]
    if rest and brief is None:
        notes.append(NO_BRIEF)
    elif rest and bundle.conversion is None:
        notes.append(NO_MODEL)
    profiles = bundle.catalog.profiles([o.creator_id for o in outcomes])
    handles = {r.creator_id: r.handle for r in profiles}
    creators = [
        _row(o, handles.get(o.creator_id), _prediction(o.creator_id, promised, model))
        for o in outcomes
    ]
    return _totals(campaign_id, saved.saved_id if saved else None, brief, creators, notes)


def _prediction(creator_id: str, promised: dict[str, float], model: dict[str, float]) -> Prediction:
    if creator_id in promised:
        return promised[creator_id], "shortlist"
    if creator_id in model:
        return model[creator_id], "model"
    return None, None


def _totals(
    campaign_id: str,
    saved_id: str | None,
    brief: Brief | None,
    creators: list[CreatorResult],
    notes: list[str],
) -> CampaignReport:
    spend = sum(c.spend for c in creators if c.spend is not None)
    conversions = sum(c.conversions for c in creators)
    predictions = [c.predicted_conversions for c in creators if c.predicted_conversions is not None]
    budget = None if brief is None else brief.budget
    unpriced = sum(c.spend is None for c in creators)
    if unpriced:
        notes.append(f"{unpriced} creator(s) reported no spend: not in the spend total")
    return CampaignReport(
        campaign_id=campaign_id, saved_id=saved_id, budget=budget, spend=spend,
        remaining=None if budget is None else budget - spend, conversions=conversions,
        predicted_conversions=sum(predictions) if predictions else None,
        cost_per_conversion=spend / conversions if conversions else None,
        creators=creators, notes=notes,
    )  # fmt: skip
