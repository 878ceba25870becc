"""Every class of the exception tree gets the HTTP status its docstring names, in one shape."""

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from creatormatch.core import errors
from creatormatch.serving import install, status_of
from tests.serving.conftest import error_of

DRAWN = {
    errors.InvalidInput("x"): 422,
    errors.InvalidRecords(["x"]): 422,
    errors.PayloadTooLarge("x"): 413,
    errors.NotFound("x"): 404,
    errors.Unauthorized("x"): 401,
    errors.RateLimited("x", retry_after=2.0): 429,
    errors.Overloaded("x", retry_after=1.0): 503,
    errors.ArtifactError("x"): 503,
    errors.IntegrityError("x"): 503,
    errors.NotReady("x"): 503,
    errors.NotFitted("x"): 500,
}


def _raising(error: Exception) -> TestClient:
    app = FastAPI()
    install(app)

    @app.get("/")
    def fail() -> None:
        raise error

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(("error", "status"), DRAWN.items(), ids=lambda e: type(e).__name__)
def test_each_error_gets_the_status_of_the_tree(error: Exception, status: int) -> None:
    assert isinstance(error, errors.CreatorMatchError) and status_of(error) == status


def test_rate_limited_and_overloaded_are_throttled_siblings_with_retry_after() -> None:
    assert not issubclass(errors.Overloaded, errors.RateLimited)
    for error, status in ((errors.RateLimited("slow down", retry_after=1.2), 429),
                          (errors.Overloaded("busy", retry_after=0.2), 503)):  # fmt: skip
        response = _raising(error).get("/")
        error_of(response, status, type(error).__name__)
        assert response.headers["Retry-After"] == ("2" if status == 429 else "1")


def test_an_unfitted_model_is_a_logged_500_not_a_503(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="creatormatch.serving"):
        response = _raising(errors.NotFitted("call fit() first")).get("/")
    assert "internal error" in error_of(response, 500, "InternalError")["message"]
    assert "call fit() first" not in response.text and "NotFitted" in caplog.text
