"""Contract tests: schemathesis drives every operation of the generated OpenAPI document
against a real HTTP server (pytest-django's live server), with valid and invalid inputs.

Every response must be no server error, declared in the schema (status code, content type)
and match its declared body schema. The number of examples per operation is bounded
(ASKDESK_CONTRACT_EXAMPLES, default 8) so the run stays well under two minutes.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from askdesk.answers.services import answer_save
from askdesk.api.services import api_key_create
from askdesk.questions.models import QuestionGroup
from askdesk.questions.services import question_assign
from askdesk.webhooks import transport
from askdesk.webhooks.services import webhook_endpoint_create, webhook_event_emit
from tests.conftest import submit

EXAMPLES = int(os.environ.get("ASKDESK_CONTRACT_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def contract_data(transactional_db: Any, newsroom: Any, callout: Any, expert: Any, editor: Any) -> dict[str, Any]:
    """A call-out with questions in several states, a group, and a key with every scope."""
    first, _ = submit(callout, "Will Iran retaliate?", email="reader@example.invalid", name="Sara", age=34)
    second, _ = submit(callout, "Will oil prices rise?")
    group = QuestionGroup.objects.create(callout=callout, label="Retaliation", representative=first, size=2)
    callout.questions.update(group=group)
    question_assign(question=second, expert=expert, actor=editor)
    answer_save(question=second, expert=expert, body="Probably, for a while.", submit=True)
    _, plain = api_key_create(
        newsroom=newsroom, name="contract", scopes=["read", "triage", "publish", "webhooks"], actor=None
    )
    endpoint, _ = webhook_endpoint_create(
        newsroom=newsroom, url="https://hooks.example.org/askdesk", events=["callout.closed"], actor=None
    )
    [delivery] = webhook_event_emit(
        newsroom_id=newsroom.pk, event="callout.closed", callout_id=callout.pk, data=lambda: {"n": 1}
    )
    return {
        "headers": {"Authorization": f"Bearer {plain}"},
        "path": {
            "slug": callout.slug,
            "question_id": second.pk,
            "group_id": group.pk,
            "webhook_id": endpoint.pk,
            "delivery_id": delivery.pk,
        },
    }


@pytest.fixture(autouse=True)
def _webhooks_stay_on_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Webhooks the fuzzed calls trigger are answered here: nothing leaves the machine."""
    monkeypatch.setattr(transport, "post", lambda *args, **kwargs: transport.Answer(204, "", ""))


def run_operation(operation: Any, base_url: str, headers: dict[str, str], mode: GenerationMode, path: Any) -> None:
    known = {name: value for name, value in path.items() if name in operation.path_parameters} if path else None
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=known or None)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)

    check()


def test_every_operation_answers_within_its_schema_with_good_and_bad_input(live_server, contract_data):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    failures = []
    for operation in operations:
        for mode, path in (
            (GenerationMode.POSITIVE, contract_data["path"]),
            (GenerationMode.POSITIVE, None),
            (GenerationMode.NEGATIVE, None),
        ):
            try:
                run_operation(operation, live_server.url, contract_data["headers"], mode, path)
            except Exception as error:
                failures.append(f"{operation.label} [{mode.value}{', known ids' if path else ''}]: {error}")
    assert not failures, "\n\n".join(failures)
