"""The JSON API: public reads, keyed integrations, errors, pagination, ETags, limits, CORS."""

from __future__ import annotations

from django.core.management import call_command

from askdesk.answers.services import answer_publish, answer_save
from askdesk.api.keys import key_digest
from askdesk.api.models import ApiKey
from askdesk.audit.models import AuditEvent
from askdesk.newsrooms.models import Newsroom
from askdesk.questions.models import Question, QuestionGroup, Theme
from askdesk.questions.services import question_assign
from tests.api.conftest import ApiClient
from tests.conftest import DEMO_STORY, login, submit

PROBLEM = "application/problem+json"


def published(callout, expert, editor, text: str, **fields) -> Question:
    question, _ = submit(callout, text, **fields)
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body=f"Answer to {text}", submit=True)
    return answer_publish(question=question, actor=editor)


def test_open_callouts_are_listed_without_a_key_with_their_story_and_urls(anonymous_api, callout):
    response = anonymous_api.get("/api/v1/callouts/")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["slug"] == callout.slug and item["prompt"] == callout.prompt
    assert item["story"] == {"slug": callout.story.slug, "title": callout.story.title}
    assert item["urls"]["answers"].endswith(f"/answers/{callout.slug}/")
    assert item["urls"]["page"].endswith(f"/stories/{callout.story.slug}/")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_published_answers_come_newest_first_a_page_at_a_time(anonymous_api, callout, expert, editor):
    for n in range(5):
        published(callout, expert, editor, f"Question number {n}?", name="Sara", publish_name=False, age=34)
    first = anonymous_api.get(f"/api/v1/callouts/{callout.slug}/answers/?limit=2").json()
    assert [q["question"] for q in first["items"]] == ["Question number 4?", "Question number 3?"]
    assert first["items"][0]["byline"] == "A 34-year-old reader"
    assert first["items"][0]["answer"]["expert"]["name"] == "Lyse Doucet"
    seen = [q["id"] for q in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = anonymous_api.get(f"/api/v1/callouts/{callout.slug}/answers/?limit=2&cursor={cursor}").json()
        seen += [q["id"] for q in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5


def test_a_read_answers_304_when_its_etag_is_sent_back(anonymous_api, callout):
    first = anonymous_api.get("/api/v1/callouts/")
    again = anonymous_api.get("/api/v1/callouts/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and again.content == b""


def test_a_cursor_the_api_did_not_give_out_is_a_problem_naming_the_field(anonymous_api, callout):
    response = anonymous_api.get("/api/v1/callouts/?cursor=not-a-cursor")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == [{"field": "query.cursor", "message": "Invalid cursor"}]


def test_bad_input_is_a_problem_with_field_errors(api, callout):
    response = api.get(f"/api/v1/callouts/{callout.slug}/questions/?limit=0&status=nope")
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 422 and body["title"] == "Invalid input"
    assert {e["field"] for e in body["errors"]} == {"query.limit", "query.status"}


def test_unknown_api_paths_are_problems_not_html(anonymous_api, db):
    response = anonymous_api.get("/api/v1/nothing/here")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_keyed_endpoints_need_a_valid_key_with_the_right_scope(make_key, callout):
    url = f"/api/v1/callouts/{callout.slug}/questions/"
    assert ApiClient().get(url).status_code == 401
    wrong = make_key("read")[:-4] + "abcd"
    refused = ApiClient(wrong).get(url)
    assert refused.status_code == 401 and refused["Content-Type"] == PROBLEM
    assert "WWW-Authenticate" in refused
    reader = ApiClient(make_key("read"))
    assert reader.get(url).status_code == 200
    forbidden = reader.post("/api/v1/stories/", {"text": DEMO_STORY.read_text()})
    assert forbidden.status_code == 403 and "publish" in forbidden.json()["detail"]


def test_a_revoked_key_no_longer_works(make_key, callout):
    plain = make_key("read")
    ApiKey.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert ApiClient(plain).get(f"/api/v1/callouts/{callout.slug}/questions/").status_code == 401


def test_a_key_reaches_only_its_own_newsroom(make_key, callout):
    other = Newsroom.objects.create(name="Other", slug="other")
    response = ApiClient(make_key("read", room=other)).get(f"/api/v1/callouts/{callout.slug}/questions/")
    assert response.status_code == 404


def test_keys_are_stored_as_a_keyed_hash_and_shown_once(editor_client, newsroom):
    page = editor_client.post("/desk/api-keys/", {"newsroom": newsroom.pk, "name": "CMS", "scopes": ["read"]})
    assert page.status_code == 200
    key = ApiKey.objects.get()
    plain = page.context["created"]["plain"]
    assert plain.startswith(key.prefix + "_") and key.digest == key_digest(plain)
    assert plain not in str(ApiKey.objects.values().get())
    listing = editor_client.get("/desk/api-keys/").content.decode()
    assert key.prefix in listing and plain not in listing


def test_the_command_prints_a_new_key_with_the_scopes_asked_for(newsroom, capsys, callout):
    call_command("api_key", "daily", "--scopes", "read,triage")
    plain = capsys.readouterr().out.strip()
    assert ApiKey.objects.get().scope_list == ["read", "triage"]
    assert ApiClient(plain).get(f"/api/v1/callouts/{callout.slug}/questions/").status_code == 200


def test_questions_list_with_triage_filters_and_search(api, callout):
    submit(callout, "Will Iran retaliate against Israel?")
    rejected, _ = submit(callout, "Why is the sky blue?")
    api.post(f"/api/v1/questions/{rejected.pk}/triage", {"action": "reject"})
    url = f"/api/v1/callouts/{callout.slug}/questions/"
    assert [q["text"] for q in api.get(url + "?q=retal").json()["items"]] == ["Will Iran retaliate against Israel?"]
    assert [q["id"] for q in api.get(url + "?status=rejected").json()["items"]] == [rejected.pk]
    assert len(api.get(url).json()["items"]) == 2


def test_a_key_imports_a_story_and_its_callout_and_the_audit_trail_names_the_key(api, newsroom):
    response = api.post("/api/v1/stories/", {"text": DEMO_STORY.read_text()})
    assert response.status_code == 201
    body = response.json()
    assert body["callout"]["prompt"].lower().startswith("what do you want to understand better")
    event = AuditEvent.objects.get(action="story.import")
    assert event.actor is None and event.actor_label.startswith("API key askd_")


def test_an_unreadable_story_is_a_field_error(api, newsroom):
    response = api.post("/api/v1/stories/", {"text": "   "})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.text"


def test_a_key_closes_a_callout_and_triages_assigns_and_publishes(api, callout, expert, editor):
    closed = api.post(f"/api/v1/callouts/{callout.slug}/status", {"status": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    callout.refresh_from_db()
    assert callout.status == "closed"
    callout.status = "open"
    callout.save()
    question, _ = submit(callout, "Will oil prices rise?")
    assigned = api.post(f"/api/v1/questions/{question.pk}/triage", {"action": "assign", "expert_id": expert.pk})
    assert assigned.json()["status"] == "assigned" and assigned.json()["assigned_to"] == expert.pk
    early = api.post(f"/api/v1/questions/{question.pk}/publish", {})
    assert early.status_code == 409 and early["Content-Type"] == PROBLEM
    answer_save(question=question, expert=expert, body="Probably, for a while.", submit=True)
    done = api.post(f"/api/v1/questions/{question.pk}/publish", {})
    assert done.status_code == 200 and done.json()["status"] == "published"
    assert done.json()["answer"]["status"] == "approved"
    assert api.post(f"/api/v1/questions/{question.pk}/unpublish").json()["status"] == "answered"
    labels = set(AuditEvent.objects.filter(action__startswith="question.").values_list("actor_label", flat=True))
    assert len(labels) == 1 and labels.pop().startswith("API key askd_")


def test_assigning_needs_an_expert_of_the_newsroom(api, callout):
    question, _ = submit(callout)
    response = api.post(f"/api/v1/questions/{question.pk}/triage", {"action": "assign", "expert_id": 999})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.expert_id"


def test_a_group_is_triaged_as_a_whole(api, callout):
    first, _ = submit(callout, "Will Iran retaliate?")
    second, _ = submit(callout, "Will Iran strike back?")
    group_id = QuestionGroup.objects.create(callout=callout, label="Retaliation", representative=first, size=2).pk
    Question.objects.filter(pk__in=[first.pk, second.pk]).update(group_id=group_id)
    groups = api.get(f"/api/v1/callouts/{callout.slug}/groups/").json()["items"]
    assert group_id in [g["id"] for g in groups]
    result = api.post(f"/api/v1/groups/{group_id}/triage", {"action": "shortlist"}).json()
    assert result["done"] == 2 and result["group"]["size"] == 2
    assert set(Question.objects.values_list("status", flat=True)) == {"shortlisted"}


def test_themes_list_their_groups_largest_first_and_each_group_names_its_theme(api, callout):
    first, _ = submit(callout, "Will Iran retaliate?")
    second, _ = submit(callout, "Were nuclear sites hit? Call me on 07700 900123")
    big = Theme.objects.create(callout=callout, label="Will Iran retaliate?", size=2)
    small = Theme.objects.create(callout=callout, label="Were nuclear sites hit? Call me on 07700 900123", size=1)
    Theme.objects.create(callout=callout, label="empty", size=0)
    for theme, question, size in ((big, first, 2), (small, second, 1)):
        group = QuestionGroup.objects.create(callout=callout, label=question.text, representative=question, size=size)
        group.theme = theme
        group.save(update_fields=["theme"])
    themes = api.get(f"/api/v1/callouts/{callout.slug}/themes/").json()["items"]
    assert [(t["id"], t["size"], t["groups"]) for t in themes] == [(big.pk, 2, 1), (small.pk, 1, 1)]
    assert "900123" not in themes[1]["label"]
    groups = api.get(f"/api/v1/callouts/{callout.slug}/groups/").json()["items"]
    assert {g["theme_id"] for g in groups} == {big.pk, small.pk}


def test_questions_export_as_csv_and_the_export_is_audited(api, callout):
    submit(callout, "Will Iran retaliate?", email="someone@example.invalid")
    response = api.get(f"/api/v1/callouts/{callout.slug}/questions/export")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    text = b"".join(response.streaming_content).decode()
    assert "Will Iran retaliate?" in text and "example.invalid" not in text
    assert AuditEvent.objects.filter(action="questions.export").exists()


def test_a_key_over_its_rate_gets_429_with_retry_after(api, callout, settings):
    settings.ASKDESK_LIMITS_ENABLED = True
    settings.ASKDESK_RATE_LIMITS = {"api_key": "3/m", "api_public": "100/m"}
    url = f"/api/v1/callouts/{callout.slug}/questions/"
    codes = [api.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.get(url)
    assert limited["Content-Type"] == PROBLEM and int(limited["Retry-After"]) >= 1


def test_cors_is_allowed_on_public_endpoints_only(api, callout):
    assert api.get("/api/v1/callouts/")["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in api.get(f"/api/v1/callouts/{callout.slug}/questions/")


def test_a_signed_in_editor_gets_nothing_from_the_api_without_a_key(client, editor, callout):
    login(client, editor)
    assert client.get(f"/api/v1/callouts/{callout.slug}/questions/").status_code == 401


def test_the_openapi_document_is_generated_and_the_reference_page_is_linked(client, editor_client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/callouts/{slug}/answers/" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
    assert 'href="/api/v1/docs"' in editor_client.get("/desk/api-keys/").content.decode()


def test_a_body_too_large_is_a_413_problem(api, newsroom):
    response = api.post("/api/v1/stories/", {"text": "x" * 3_000_000})
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM


def test_behind_the_proxy_public_limits_count_each_reader_apart(anonymous_api, callout, settings):
    settings.ASKDESK_LIMITS_ENABLED = True
    settings.ASKDESK_RATE_LIMITS = {"api_key": "100/m", "api_public": "2/m"}
    settings.ASKDESK_PROXY_COUNT = 1

    def get(address: str) -> int:
        return anonymous_api.get("/api/v1/callouts/", headers={"X-Forwarded-For": f"1.2.3.4, {address}"}).status_code

    assert [get("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert get("203.0.113.2") == 200
