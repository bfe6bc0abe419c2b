"""The committed OpenAPI document (docs/api/openapi-v1.json) is the one the code generates, so
every change to the API's contract shows in review. Regenerate it with
ASKDESK_UPDATE_OPENAPI=1 .venv/bin/python -m pytest tests/api/test_schema.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi-v1.json"


def test_the_committed_openapi_document_matches_the_code(client, db):
    generated = client.get("/api/openapi.json").json()
    text = json.dumps(generated, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("ASKDESK_UPDATE_OPENAPI") == "1":
        COMMITTED.write_text(text)
    assert COMMITTED.exists(), "run with ASKDESK_UPDATE_OPENAPI=1 to write docs/api/openapi-v1.json"
    assert json.loads(COMMITTED.read_text()) == generated, (
        "The API's schema changed: review the change, then regenerate docs/api/openapi-v1.json "
        "(ASKDESK_UPDATE_OPENAPI=1 .venv/bin/python -m pytest tests/api/test_schema.py)"
    )
