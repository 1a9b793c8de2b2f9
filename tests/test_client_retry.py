"""When the client waits and how long: the retry policy and Retry-After, without a server."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from roomsets.client import ConnectionFailedError, RateLimitedError, Retry, RoomsetsClient, ServiceUnavailableError
from roomsets.client.errors import error_from_response

REQUEST = httpx.Request("GET", "http://roomsets.test/api/v1/user/me")


def answer(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=REQUEST)


@pytest.mark.parametrize(
    ("response", "retries_done", "expected"),
    [
        (answer(429, **{"Retry-After": "3"}), 0, (3.0, 3.0)),
        (answer(503, **{"Retry-After": "0"}), 0, (0.0, 0.0)),
        (answer(503), 0, (0.375, 0.5)),
        (answer(503), 2, (1.5, 2.0)),
        (answer(429), 10, None),  # retries used up (max_retries=4)
        (answer(429, **{"Retry-After": "600"}), 0, None),  # longer than max_wait
        (answer(500), 0, None),
        (answer(200), 0, None),
    ],
)
def test_only_429_and_503_are_retried_after_retry_after_or_a_growing_backoff(response, retries_done, expected):
    delay = Retry().delay(response, min(retries_done, 10))
    if expected is None:
        assert delay is None
    else:
        low, high = expected
        assert low <= delay <= high


def test_retry_after_may_be_an_http_date():
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    delay = Retry().delay(answer(503, **{"Retry-After": when}), 0)
    assert 25 <= delay <= 30


def test_the_backoff_is_capped():
    assert Retry(max_retries=20, backoff=1, max_backoff=5).delay(answer(503), 15) <= 5


def test_an_answer_that_is_not_a_problem_still_has_its_class_and_a_detail():
    error = error_from_response(
        httpx.Response(503, text="<html><body>Bad gateway upstream</body></html>", request=REQUEST)
    )
    assert isinstance(error, ServiceUnavailableError)
    assert (error.status, error.title) == (503, "Service Unavailable") and "Bad gateway" in error.detail


def test_a_server_that_cannot_be_reached_is_a_connection_error():
    with RoomsetsClient("http://127.0.0.1:9", "rsk_x") as client, pytest.raises(ConnectionFailedError) as failed:
        client.me()
    assert failed.value.status is None and "127.0.0.1:9" in failed.value.detail


def test_a_429_that_stays_is_raised_after_the_last_retry():
    attempts = []

    def always_limited(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        problem = {"title": "Too Many Requests", "status": 429, "detail": "slow down", "instance": "/"}
        return httpx.Response(429, headers={"Retry-After": "0"}, json=problem)

    http = httpx.Client(transport=httpx.MockTransport(always_limited))
    client = RoomsetsClient("http://roomsets.test", "rsk_x", retry=Retry(max_retries=2), http_client=http)
    with pytest.raises(RateLimitedError) as limited:
        client.me()
    assert len(attempts) == 3 and limited.value.detail == "slow down" and limited.value.retry_after == 0
