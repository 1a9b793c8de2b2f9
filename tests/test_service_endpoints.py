"""Endpoints without a key: /health, /ready, /openapi.json, /docs; and the OpenAPI document."""

import pytest

from roomsets.badging.models import BadgeVisibility, InputType
from roomsets.participation.models import AttendeeStatus
from roomsets.sets.models import EntryOption, SocialPermissionType
from roomsets.themes.models import ThemeType, UploadState
from tests.conftest import Database, make_settings, running_app

NAMED_SCHEMAS = ["SocialRoomSet", "Social", "User", "Theme", "Tile", "UploadStatus", "SocialMeta", "BadgeData"]


async def test_health_and_ready(client):
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_ready_fails_and_health_stays_up_without_a_database(database: Database):
    settings = make_settings(database, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    async with running_app(settings) as (_, client):
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/ready")
        assert ready.status_code == 503
        assert ready.headers["content-type"] == "application/problem+json"
        assert ready.headers["Retry-After"] == "5"


async def test_docs_page_is_served(client):
    response = await client.get("/docs")
    assert response.status_code == 200 and "swagger" in response.text.lower()


async def test_unknown_path_is_a_problem(client):
    response = await client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.fixture
async def openapi(client) -> dict:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_components_are_named_after_the_spec_objects(openapi):
    schemas = openapi["components"]["schemas"]
    for name in NAMED_SCHEMAS:
        assert name in schemas, name
    mine = openapi["paths"]["/api/v1/social/room/set/mine"]["get"]
    items = mine["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/SocialRoomSet"}


@pytest.mark.parametrize(
    ("schema", "enum"),
    [
        ("EntryOption", EntryOption),
        ("SocialPermissionType", SocialPermissionType),
        ("ThemeType", ThemeType),
        ("UploadState", UploadState),
        ("BadgeVisibility", BadgeVisibility),
        ("InputType", InputType),
    ],
)
def test_enums_list_every_value(openapi, schema, enum):
    assert openapi["components"]["schemas"][schema]["enum"] == [m.value for m in enum]


def test_attendee_status_values_are_the_spec_values():
    assert [m.value for m in AttendeeStatus] == ["WAITING", "JOINED", "REJECTED", "LEFT"]


def test_api_key_security_scheme(openapi):
    assert openapi["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "An API key created with `roomsets key create`.",
    }
    mine = openapi["paths"]["/api/v1/social/room/set/mine"]["get"]
    assert mine["security"] == [{"ApiKeyAuth": []}]


def test_paging_parameters_carry_their_bounds(openapi):
    params = {p["name"]: p for p in openapi["paths"]["/api/v1/social/room/set/mine"]["get"]["parameters"]}
    assert params["page"]["schema"]["minimum"] == 0 and params["page"]["schema"]["default"] == 0
    assert params["size"]["schema"]["minimum"] == 1 and params["size"]["schema"]["maximum"] == 1000
    assert params["size"]["schema"]["default"] == 20
    sort = params["sort"]["schema"]
    assert any(option.get("type") == "array" for option in sort.get("anyOf", [sort]))
    assert "name" in params["sort"]["description"] and "groupFormerCount" in params["sort"]["description"]


def test_problem_responses_are_documented(openapi):
    responses = openapi["paths"]["/api/v1/social/room/set/mine"]["get"]["responses"]
    for status in ("400", "401"):
        assert "application/problem+json" in responses[status]["content"]


async def test_method_not_allowed_lists_every_method_of_the_path(client):
    response = await client.request("OPTIONS", "/api/v1/social/room/set/00000000-0000-0000-0000-000000000001")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "DELETE"}
    assert "GET" in response.json()["detail"]


async def test_a_page_number_beyond_the_limit_is_400(client, db):
    from tests.factories import make_caller

    _, headers = await make_caller(db)
    await db.commit()
    response = await client.get("/api/v1/social/room/set/mine", headers=headers, params={"page": 6261203020068927330844672})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "page"
