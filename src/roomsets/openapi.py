"""The committed OpenAPI document (`openapi.json` at the project root) and how to refresh it."""

import json
from pathlib import Path

from roomsets.app import create_app
from roomsets.settings import Settings

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def current_document() -> str:
    """The document this build serves at /openapi.json, as committed: sorted, indented."""
    app = create_app(Settings(secret_key="openapi", rate_limit_per_second=0))
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    COMMITTED.write_text(current_document())
    print(f"wrote {COMMITTED}")


if __name__ == "__main__":
    main()
