"""Contact details never reach a public page, whatever happens to the question."""

from django.urls import reverse

from askdesk.answers.services import answer_publish, answer_save
from askdesk.questions.services import question_assign
from tests.conftest import form_data

CANARY_EMAIL = "canary-7f3a@example.invalid"
CANARY_PHONE = "+44 7700 900987"
CANARY_FRAGMENTS = ["canary-7f3a", "7700900987", "7700 900987", "900987"]


def test_contact_details_never_appear_on_any_public_page(client, callout, expert, editor):
    response = client.post(
        f"/ask/{callout.slug}/",
        form_data(callout, question="Is my town safe?", email=CANARY_EMAIL, phone=CANARY_PHONE),
    )
    status_url = response["Location"]
    question = callout.questions.get()
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Yes, officials say.", submit=True)
    answer_publish(question=question, actor=editor)

    public_urls = [
        reverse("home"),
        reverse("questions:story", args=[callout.story.slug]),
        reverse("answers:public", args=[callout.slug]),
        reverse("public:embed_form", args=[callout.slug]),
        reverse("public:embed_answers", args=[callout.slug]),
        reverse("public:live", args=[callout.slug]),
        reverse("public:feed_rss", args=[callout.slug]),
        reverse("public:feed_atom", args=[callout.slug]),
        reverse("public:feed_json", args=[callout.slug]),
        reverse("public:newsroom_rss", args=[callout.story.newsroom.slug]),
        reverse("public:newsroom_atom", args=[callout.story.newsroom.slug]),
        reverse("public:newsroom_json", args=[callout.story.newsroom.slug]),
        "/oembed?url=" + reverse("answers:public", args=[callout.slug]),
        status_url,
        status_url.split("?")[0] + "delete/",
        reverse("legal", args=[question.terms_id]),
        reverse("legal", args=[question.privacy_policy_id]),
    ]
    for url in public_urls:
        page = client.get(url)
        assert page.status_code == 200, url
        body = page.content.decode()
        for fragment in CANARY_FRAGMENTS:
            assert fragment not in body, f"{fragment!r} leaked on {url}"
    for shown in ("answers:public", "public:embed_answers", "public:feed_rss", "public:feed_json"):
        assert "Is my town safe?" in client.get(reverse(shown, args=[callout.slug])).content.decode(), shown


def test_home_lists_callouts_with_links_to_their_stories(client, callout):
    page = client.get("/").content.decode()
    assert callout.prompt in page
    assert f'href="/stories/{callout.story.slug}/"' in page


def test_unknown_pages_get_a_finished_not_found_page(client, db):
    response = client.get("/stories/no-such-story/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
