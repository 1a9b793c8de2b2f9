"""Request ids, the access log and Prometheus metrics."""

import json
import logging
import re

from roomsets.kit.observability import JsonFormatter, request_id_var
from tests.factories import make_caller, make_room_set

MINE = "/api/v1/social/room/set/mine"


async def test_a_request_id_is_made_when_none_is_sent(client):
    response = await client.get("/health")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


async def test_a_sane_request_id_is_echoed_and_an_odd_one_replaced(client):
    assert (await client.get("/health", headers={"X-Request-ID": "trace-42"})).headers["X-Request-ID"] == "trace-42"
    replaced = (await client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})).headers["X-Request-ID"]
    assert replaced != "bad id\twith spaces" and re.fullmatch(r"[0-9a-f]{32}", replaced)


async def test_errors_carry_the_request_id_too(client):
    response = await client.get(MINE)
    assert response.status_code == 401 and response.headers["X-Request-ID"]


async def test_metrics_count_requests_by_route_template(client, db):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host)
    await db.commit()
    await client.get(MINE, headers=headers)
    await client.get(f"/api/v1/social/room/set/{room_set.id}", headers=headers)
    text = (await client.get("/metrics")).text
    assert re.search(r'roomsets_http_requests_total\{method="GET",route="/api/v1/social/room/set/mine",status="200"\} \d', text)
    assert 'route="/api/v1/social/room/set/{socialRoomSetId}"' in text
    assert str(room_set.id) not in text
    assert "roomsets_http_request_duration_seconds_bucket" in text
    assert re.search(r"^roomsets_db_pool_connections_in_use \d", text, re.M)
    assert re.search(r"^roomsets_theme_jobs_running \d", text, re.M)


async def test_metrics_show_the_render_cache_at_work(client, db):
    host, headers = await make_caller(db)
    await make_room_set(db, host)
    await db.commit()

    def value(text: str, name: str) -> float:
        return float(re.search(rf"^{name} (\S+)", text, re.M).group(1))

    before = (await client.get("/metrics")).text
    await client.get(MINE, headers=headers)  # the set is rendered
    await client.get(MINE, headers=headers)  # and served from the cache
    after = (await client.get("/metrics")).text
    assert value(after, "roomsets_render_cache_misses_total") - value(before, "roomsets_render_cache_misses_total") == 1
    assert value(after, "roomsets_render_cache_hits_total") - value(before, "roomsets_render_cache_hits_total") == 1
    assert value(after, "roomsets_render_cache_sets") >= 1 and value(after, "roomsets_render_cache_bytes") > 0


async def test_the_access_log_names_the_route_and_never_the_key(client, db, caplog):
    _, headers = await make_caller(db)
    await db.commit()
    with caplog.at_level(logging.INFO, logger="roomsets.access"):
        await client.get(MINE, headers=headers, params={"size": 3})
    records = [r for r in caplog.records if r.name == "roomsets.access"]
    assert records and records[-1].http["route"] == MINE and records[-1].http["status"] == 200
    everything = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert headers["X-API-Key"] not in everything and headers["X-API-Key"][:12] not in everything


def test_json_log_lines_are_json_with_the_request_id():
    token = request_id_var.set("req-1")
    try:
        record = logging.LogRecord("roomsets.x", logging.WARNING, __file__, 1, "hello %s", ("world",), None)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hello world" and line["requestId"] == "req-1" and line["level"] == "warning"
    assert line["time"].endswith("Z")
