"""The Prometheus scrape: latency per route template, model versions, index size."""

from fastapi.testclient import TestClient


def test_metrics_show_latency_per_route_template_versions_and_index_size(
    client: TestClient,
) -> None:
    client.post("/v1/shortlists", json={"brief": "pasta", "k": 2})
    client.get("/v1/creators/c001")
    client.get("/v1/creators/c002")
    text = client.get("/metrics").text
    assert (
        'creatormatch_request_seconds_count{method="POST",route="/v1/shortlists",status="200"} 1.0'
        in text
    )
    assert (
        'creatormatch_request_seconds_count{method="GET",route="/v1/creators/{creator_id}",'
        'status="200"} 2.0' in text
    )
    assert "creatormatch_index_size 90.0" in text
    assert 'creatormatch_model_info{artifact="index",version="' in text
