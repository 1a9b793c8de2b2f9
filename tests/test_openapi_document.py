"""The committed openapi.json is the document the running app serves."""

import json

from roomsets.openapi import COMMITTED, current_document


def test_committed_openapi_document_matches_the_app():
    assert COMMITTED.exists(), "openapi.json is missing: run `make openapi`"
    assert json.loads(COMMITTED.read_text()) == json.loads(current_document()), (
        "openapi.json drifted from the app: run `make openapi` and commit the result"
    )


async def test_the_served_document_is_the_committed_one(client):
    served = (await client.get("/openapi.json")).json()
    assert served == json.loads(COMMITTED.read_text())
