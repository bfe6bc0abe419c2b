"""Contact details never leave through the API: every operation of the schema is called with a key
holding every scope, on a call-out whose reader gave (and typed) contact details."""

from __future__ import annotations

from askdesk.answers.services import answer_save
from askdesk.questions.models import QuestionGroup
from askdesk.questions.services import question_assign
from askdesk.webhooks.services import webhook_endpoint_create, webhook_event_emit
from tests.conftest import form_data
from tests.web.test_public_pages import CANARY_EMAIL, CANARY_FRAGMENTS, CANARY_PHONE

HIDDEN_NAME = "Zebulon-Canary"


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_contact_details_never_appear_in_any_api_response(client, api, anonymous_api, callout, expert, editor):
    client.post(
        f"/ask/{callout.slug}/",
        form_data(
            callout,
            question=f"Is my town safe? Write to {CANARY_EMAIL}",
            email=CANARY_EMAIL,
            phone=CANARY_PHONE,
            name=HIDDEN_NAME,
            hide_name="on",
        ),
    )
    question = callout.questions.get()
    group = QuestionGroup.objects.create(callout=callout, label="Safety", representative=question, size=1)
    callout.questions.update(group=group)
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Yes, officials say.", submit=True)
    endpoint, _ = webhook_endpoint_create(
        newsroom=callout.story.newsroom, url="https://hooks.example.org/a", events=["callout.closed"], actor=None
    )
    [delivery] = webhook_event_emit(
        newsroom_id=endpoint.newsroom_id, event="callout.closed", callout_id=callout.pk, data=lambda: {}
    )
    values = {
        "slug": callout.slug,
        "question_id": question.pk,
        "group_id": group.pk,
        "webhook_id": endpoint.pk,
        "delivery_id": delivery.pk,
    }

    schema = api.get("/api/openapi.json").json()
    responses = []
    for path, operations in schema["paths"].items():
        for method, _operation in operations.items():
            url = path.format(**values)
            if method == "get":
                responses.append((url, api.get(url)))
                responses.append((url, anonymous_api.get(url)))
            elif method == "post" and ("{question_id}" in path or "{group_id}" in path):
                body = {"action": "shortlist"} if path.endswith("triage") else {}
                responses.append((url, api.post(url, body)))
    # The redaction is what publishing needs first; then the published question is read again.
    redacted = api.post(f"/api/v1/questions/{question.pk}/publish", {})
    responses.append(("publish", redacted))
    for url in (f"/api/v1/callouts/{callout.slug}/answers/", f"/api/v1/questions/{question.pk}"):
        responses.append((url, api.get(url)))

    assert len(responses) >= 15
    assert any(HIDDEN_NAME not in body_of(r) and "Is my town safe?" in body_of(r) for _, r in responses)
    for url, response in responses:
        assert response.status_code < 500, url
        text = body_of(response)
        for fragment in [*CANARY_FRAGMENTS, HIDDEN_NAME]:
            assert fragment not in text, f"{fragment!r} leaked from {url}"
