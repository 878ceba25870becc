"""Named shortlists as work items: save, pin, remove and re-rank the rest, total the spend.

Pinned creators stay at the top as they were listed (their predictions are the ones the list
made); the rest is ranked again for the brief, with the pinned and the removed excluded, `k`
less the pinned, and the budget less what the pinned cost. So removing a creator brings in the
next best one, and a pinned creator's price is never spent twice.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from creatormatch.core import InvalidInput
from creatormatch.features import Brief, describe
from creatormatch.matching import Bundle, Shortlist
from creatormatch.matching import shortlist as make_shortlist
from creatormatch.serving.state import ServiceState
from creatormatch.serving.workspace_schemas import (
    EditRequest,
    NamedShortlistResponse,
    NamedShortlistSummary,
    SaveRequest,
    Spend,
)
from creatormatch.store import NamedShortlist


def spend_of(result: Shortlist, budget: float | None) -> Spend:
    prices = [i.price_per_post for i in result.items]
    total = sum(p for p in prices if p is not None)
    remaining = None if budget is None else budget - total
    return Spend(total=total, budget=budget, remaining=remaining, unpriced=prices.count(None))


def response_of(saved: NamedShortlist, *, read_only: bool = False) -> NamedShortlistResponse:
    result = Shortlist.model_validate(saved.result)
    return NamedShortlistResponse(
        saved_id=saved.saved_id, name=saved.name, brief=saved.brief, result=result,
        pinned=saved.pinned, removed=saved.removed, campaign_id=saved.campaign_id,
        created_by=saved.created_by, created_at=saved.created_at, updated_at=saved.updated_at,
        shared=saved.shared, spend=spend_of(result, saved.brief.get("budget")),
        read_only=read_only,
    )  # fmt: skip


def summary_of(saved: NamedShortlist) -> NamedShortlistSummary:
    result = Shortlist.model_validate(saved.result)
    return NamedShortlistSummary(
        saved_id=saved.saved_id, name=saved.name, creators=len(result.items),
        campaign_id=saved.campaign_id, updated_at=saved.updated_at,
        spend=spend_of(result, saved.brief.get("budget")),
    )  # fmt: skip


def _brief(fields: dict[str, Any]) -> Brief:
    try:
        return Brief.model_validate(fields)
    except ValidationError as error:  # a brief grown past its bounds by edits: say which
        raise InvalidInput("; ".join(describe(error))) from error


def rerank(bundle: Bundle, brief: Brief, pinned: Shortlist, removed: list[str]) -> Shortlist:
    """The `pinned` items (in their order) first, then the best of the rest for `brief`."""
    pins = pinned.items
    spent = sum(i.price_per_post for i in pins if i.price_per_post is not None)
    budget = None if brief.budget is None else brief.budget - spent
    rest = Shortlist(items=[], degraded=[], candidates_considered=0)
    if budget is not None and budget <= 0:
        note = f"the pinned creators spend {spent:g} of the budget {brief.budget:g}: no room left"
        rest.degraded.append(note)
    elif brief.k > len(pins):
        excluded = {*brief.exclude, *removed, *(i.creator_id for i in pins)}
        fields = {"k": brief.k - len(pins), "budget": budget, "exclude": sorted(excluded)}
        rest = make_shortlist(bundle, _brief(brief.model_dump() | fields))
    items = [item.model_copy(update={"rank": n}) for n, item in enumerate([*pins, *rest.items], 1)]
    return Shortlist(
        items=items, degraded=rest.degraded, candidates_considered=rest.candidates_considered
    )


def save(state: ServiceState, tenant: str, who: str, request: SaveRequest) -> NamedShortlist:
    if request.shortlist_id is not None:
        kept = state.tenants.shortlist(tenant, request.shortlist_id)
        brief, result = kept.brief, Shortlist.model_validate(kept.result)
    else:
        assert request.brief is not None  # the request's validator allows one or the other
        parsed = request.brief.to_brief()
        brief = parsed.model_dump(mode="json")
        result = make_shortlist(state.require().bundle, parsed)
    return state.named.save(
        tenant, name=request.name, brief=brief, result=result.model_dump(mode="json"),
        created_by=who, campaign_id=request.campaign_id,
    )  # fmt: skip


def _not_listed(ids: list[str], listed: set[str], verb: str) -> None:
    missing = [c for c in ids if c not in listed]
    if missing:
        raise InvalidInput(
            f"{verb}: expected creators of this shortlist, got {', '.join(missing[:10])}"
        )


def edit(state: ServiceState, tenant: str, saved_id: str, request: EditRequest) -> NamedShortlist:
    saved = state.named.get(tenant, saved_id)
    result = Shortlist.model_validate(saved.result)
    listed = {item.creator_id: item for item in result.items}
    _not_listed(request.pin, set(listed), "pin")
    _not_listed(request.remove, set(listed), "remove")
    gone = set(request.unpin) | set(request.remove)
    pinned = [c for c in dict.fromkeys([*saved.pinned, *request.pin]) if c not in gone]
    removed = [
        c for c in dict.fromkeys([*saved.removed, *request.remove]) if c not in request.restore
    ]
    if (pinned, removed) != (saved.pinned, saved.removed):
        brief = _brief(saved.brief)
        pins = Shortlist(items=[listed[c] for c in pinned], degraded=[], candidates_considered=0)
        result = rerank(state.require().bundle, brief, pins, removed)
    fields = request.model_fields_set
    return state.named.update(
        tenant, saved_id, name=request.name or saved.name, result=result.model_dump(mode="json"),
        pinned=pinned, removed=removed,
        campaign_id=request.campaign_id if "campaign_id" in fields else saved.campaign_id,
    )  # fmt: skip
