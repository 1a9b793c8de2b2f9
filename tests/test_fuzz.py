"""The API fuzzed against its own OpenAPI document with schemathesis.

Every operation, positive and negative data, and stateful sequences (create → read →
update → copy → delete, linked through `Location` headers and inferred links), with a
fixed seed and a bounded number of examples. The run must find no server error, no
response outside the documented schema, no undocumented status code, no wrong content
type or headers, and no schema-violating request accepted. `make fuzz` runs the same
with many more examples.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import live_server
from tests.factories import make_caller, make_room_set, make_user

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
    ]
)
EXAMPLES = int(os.environ.get("ROOMSETS_FUZZ_EXAMPLES", "5"))
SEED = int(os.environ.get("ROOMSETS_FUZZ_SEED", "20261204"))


async def test_the_api_keeps_its_contract_under_fuzzing(database, db, tmp_path: Path):
    host, headers = await make_caller(db, company_name="Fuzz Co")
    other = await make_user(db, company_name="Fuzz Co")
    await make_room_set(db, host, rooms=3, alternate_hosts=[other])
    await db.commit()
    with live_server(database, media_dir=str(tmp_path / "media")) as url:
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"), "run", f"{url}/openapi.json",
                "--header", f"X-API-Key: {headers['X-API-Key']}",
                "--checks", CHECKS,
                "--max-examples", str(EXAMPLES),
                "--seed", str(SEED),
                "--workers", "1",
                "--request-timeout", "30",
                "--report", "junit", "--report-dir", str(tmp_path / "report"),
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,  # schemathesis keeps its cache in the working directory
        )
    summary = result.stdout[-6000:]
    print(summary)
    assert result.returncode == 0, summary
    tried = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert tried and tried.group(1) == tried.group(2) and int(tried.group(1)) > 100, summary
