"""Named shortlists in the store: kept per tenant (another tenant's is NotFound), edited,
shared by a token that only opens inside the tenant, and found by the campaign booked."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormatch.core import Home, NotFound
from creatormatch.store import NamedShortlists, Workspace

RESULT = {"items": [], "degraded": [], "candidates_considered": 0}


@pytest.fixture()
def named(tmp_path: Path) -> NamedShortlists:
    return NamedShortlists(Workspace.of(Home(tmp_path / "home")))


def _save(named: NamedShortlists, tenant: str = "acme", campaign_id: str | None = None) -> str:
    saved = named.save(
        tenant, name="spring", brief={"text": "yoga"}, result=RESULT, created_by="ana",
        campaign_id=campaign_id,
    )  # fmt: skip
    return saved.saved_id


def test_a_saved_shortlist_reopens_as_saved_and_only_for_its_tenant(
    named: NamedShortlists,
) -> None:
    saved_id = _save(named)
    saved = named.get("acme", saved_id)
    assert (saved.name, saved.brief, saved.result, saved.pinned) == ("spring", {"text": "yoga"},
                                                                     RESULT, [])  # fmt: skip
    for call in (
        lambda: named.get("globex", saved_id),
        lambda: named.share("globex", saved_id),
        lambda: named.delete("globex", saved_id),
    ):
        with pytest.raises(NotFound, match="no saved shortlist"):
            call()
    assert [s.saved_id for s in named.listing("acme")] == [saved_id]
    assert named.listing("globex") == []


def test_an_update_keeps_the_edits_and_a_delete_removes_it(named: NamedShortlists) -> None:
    saved_id = _save(named)
    result = {**RESULT, "candidates_considered": 7}
    named.update("acme", saved_id, name="spring v2", result=result, pinned=["c1"],
                 removed=["c2"], campaign_id="cmp-1")  # fmt: skip
    saved = named.get("acme", saved_id)
    assert (saved.name, saved.result, saved.pinned, saved.removed, saved.campaign_id) == (
        "spring v2", result, ["c1"], ["c2"], "cmp-1"
    )  # fmt: skip
    named.delete("acme", saved_id)
    with pytest.raises(NotFound):
        named.get("acme", saved_id)


def test_a_share_token_opens_the_list_inside_its_tenant_and_sharing_again_replaces_it(
    named: NamedShortlists,
) -> None:
    saved_id = _save(named)
    first = named.share("acme", saved_id)
    assert named.shared("acme", first).saved_id == saved_id and named.get("acme", saved_id).shared
    with pytest.raises(NotFound, match="in your tenant"):
        named.shared("globex", first)
    second = named.share("acme", saved_id)
    assert named.shared("acme", second).saved_id == saved_id
    with pytest.raises(NotFound):
        named.shared("acme", first)


def test_the_shortlist_booked_for_a_campaign_is_found_within_the_tenant(
    named: NamedShortlists,
) -> None:
    _save(named, campaign_id="cmp-1")
    later = _save(named, campaign_id="cmp-1")
    _save(named, "globex", campaign_id="cmp-2")
    found = named.for_campaign("acme", "cmp-1")
    assert found is not None and found.saved_id == later
    assert named.for_campaign("acme", "cmp-2") is None
