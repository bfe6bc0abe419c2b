"""Story, answers and embeds are rendered once per version of their call-out and served from the cache."""

from __future__ import annotations

from django.urls import reverse

from askdesk.answers.services import question_unpublish
from askdesk.callouts.services import callout_set_status
from askdesk.questions.services import question_edit_wording
from tests.public.helpers import published


def urls(callout):
    return [
        reverse("questions:story", args=[callout.story.slug]),
        reverse("answers:public", args=[callout.slug]),
        reverse("public:embed_form", args=[callout.slug]),
        reverse("public:embed_answers", args=[callout.slug]),
        reverse("public:live", args=[callout.slug]),
    ]


def test_public_pages_say_how_long_caches_may_keep_them_and_set_no_cookie(client, callout):
    for url in urls(callout):
        response = client.get(url)
        assert response.status_code == 200, url
        control = response["Cache-Control"]
        for part in ("public", "max-age=60", "s-maxage=60", "stale-while-revalidate=300"):
            assert part in control, (url, control)
        assert response["ETag"] and response["Last-Modified"]
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url


def test_a_head_request_gets_the_headers_of_the_page_without_its_body(client, callout):
    # Link checkers, CMS previews and CDNs ask with HEAD before they fetch.
    for url in [*urls(callout), reverse("healthz")]:
        page = client.get(url)
        head = client.head(url)
        assert head.status_code == 200, url
        assert head.content == b"", url
        assert head.get("ETag") == page.get("ETag"), url
        assert head["Content-Type"] == page["Content-Type"], url


def test_a_second_reader_gets_the_page_without_any_database_query(client, callout, django_assert_num_queries):
    story = reverse("questions:story", args=[callout.story.slug])
    first = client.get(story)
    with django_assert_num_queries(0):
        second = client.get(story)
    assert second.content == first.content


def test_a_conditional_request_for_an_unchanged_page_gets_304(client, callout):
    url = reverse("answers:public", args=[callout.slug])
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_publishing_unpublishing_closing_and_rewording_show_at_once(client, callout, expert, editor):
    answers = reverse("answers:public", args=[callout.slug])
    story = reverse("questions:story", args=[callout.story.slug])
    before = client.get(answers)
    client.get(story)

    question = published(callout, expert, editor, "Is the airport open?")
    page = client.get(answers, headers={"If-None-Match": before["ETag"]})
    assert page.status_code == 200 and "Is the airport open?" in page.content.decode()
    assert "1 question answered so far" in client.get(story).content.decode()

    question_edit_wording(question=question, public_text="Is Isfahan airport open?", actor=editor)
    assert "Is Isfahan airport open?" in client.get(answers).content.decode()

    question_unpublish(question=question, actor=editor)
    assert "Isfahan airport" not in client.get(answers).content.decode()

    assert 'name="question"' in client.get(story).content.decode()
    callout_set_status(callout=callout, status="closed", actor=editor)
    closed = client.get(story).content.decode()
    assert 'name="question"' not in closed and "no longer takes questions" in closed


def test_the_cached_form_carries_nothing_of_one_reader(client, callout):
    """The form token is the same for every reader within the hour; the idempotency key is made in the browser."""
    page = client.get(reverse("questions:story", args=[callout.story.slug])).content.decode()
    assert 'name="form_token" value="' in page
    assert 'name="submission_key" value=""' in page
    assert "csrfmiddlewaretoken" not in page
    assert "askdesk/form.js" in page


def test_pages_cached_before_an_unpublication_are_dropped_from_the_cache_at_once(client, callout, expert, editor):
    from tests.security.traces import cache_text

    question = published(callout, expert, editor, "Will the zqxjv bridge reopen?")
    for url in [*urls(callout), reverse("public:feed_rss", args=[callout.slug])]:
        client.get(url)
    client.get(reverse("public:newsroom_json", args=[callout.story.newsroom.slug]))
    assert "zqxjv" in cache_text()
    question_unpublish(question=question, actor=editor)
    assert "zqxjv" not in cache_text()
