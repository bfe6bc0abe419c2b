"""The call-out in the newsroom's own article: embeds, oEmbed, framing, forged posts."""

from __future__ import annotations

import json

from django.urls import reverse

from askdesk.newsrooms.models import Newsroom
from askdesk.newsrooms.services import newsroom_public_changed
from askdesk.questions.models import Question
from tests.conftest import form_data
from tests.public.helpers import published

NEWSROOM_SITE = "https://www.daily.example"


def allow_framing(newsroom: Newsroom) -> None:
    Newsroom.objects.filter(pk=newsroom.pk).update(embed_origins=f"{NEWSROOM_SITE}\nhttps://cms.daily.example")
    newsroom_public_changed(newsroom=newsroom)


def test_embeds_may_be_framed_only_by_the_sites_the_newsroom_allowed(client, callout, newsroom):
    allow_framing(newsroom)
    for name in ("public:embed_form", "public:embed_answers"):
        response = client.get(reverse(name, args=[callout.slug]))
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        policy = response["Content-Security-Policy"]
        assert f"frame-ancestors 'self' {NEWSROOM_SITE} https://cms.daily.example" in policy
        assert "script-src 'self'" in policy
    story = client.get(reverse("questions:story", args=[callout.story.slug]))
    assert "frame-ancestors 'none'" in story["Content-Security-Policy"]


def test_the_embedded_form_posts_back_as_an_embed_and_thanks_the_reader_inside_the_frame(client, callout, newsroom):
    allow_framing(newsroom)
    page = client.get(reverse("public:embed_form", args=[callout.slug])).content.decode()
    assert f'action="/embed/{callout.slug}/form/?lang=en"' in page
    response = client.post(
        f"/embed/{callout.slug}/form/?lang=en", form_data(callout), headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 302 and response["Location"].endswith("&embed=1")
    thanks = client.get(response["Location"])
    assert "Thank you, your question has been sent" in thanks.content.decode()
    assert "X-Frame-Options" not in thanks
    assert NEWSROOM_SITE in thanks["Content-Security-Policy"]


def test_posts_from_other_sites_are_refused_and_store_nothing(client, callout, newsroom):
    allow_framing(newsroom)
    ask = f"/ask/{callout.slug}/"
    forged = client.post(ask, form_data(callout), headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    hidden = client.post(ask, form_data(callout), headers={"Sec-Fetch-Site": "cross-site"})
    assert hidden.status_code == 403
    in_frame = client.post(ask + "?embed=1", form_data(callout), headers={"Origin": "https://evil.example"})
    assert in_frame.status_code == 403 and "X-Frame-Options" not in in_frame  # the refusal shows in the frame
    assert not Question.objects.exists()
    from_newsroom = client.post(ask, form_data(callout), headers={"Origin": NEWSROOM_SITE})
    assert from_newsroom.status_code == 302
    assert Question.objects.count() == 1


def test_a_missing_forged_or_other_callouts_token_is_refused_keeping_what_was_typed(client, callout, newsroom):
    from askdesk.callouts.services import callout_create

    other = callout_create(story=callout.story, prompt="What else?")
    ask = f"/ask/{callout.slug}/"
    for token in ("", "forged:token", form_data(other)["form_token"]):
        response = client.post(ask, form_data(callout, form_token=token, question="Is my town safe?"))
        assert response.status_code == 400
        body = response.content.decode()
        assert "has expired" in body and "Is my town safe?" in body
    assert not Question.objects.exists()


def test_an_old_form_token_expires_and_a_fresh_one_is_accepted(callout):
    from askdesk.questions.formtoken import MAX_AGE_SECONDS, form_token, form_token_valid

    now = 1_800_000_000.0
    token = form_token(callout_id=callout.pk, now=now)
    assert token == form_token(callout_id=callout.pk, now=now + 1)  # the same for every reader of a cached page
    assert form_token_valid(token, callout_id=callout.pk, now=now + 60)
    assert not form_token_valid(token, callout_id=callout.pk + 1, now=now + 60)
    assert not form_token_valid(token, callout_id=callout.pk, now=now + MAX_AGE_SECONDS + 1)


def test_pages_advertise_oembed_and_the_endpoint_returns_a_rich_iframe(client, callout, expert, editor):
    published(callout, expert, editor)
    for page_name, args, embed_path in (
        ("questions:story", [callout.story.slug], f"/embed/{callout.slug}/form/"),
        ("answers:public", [callout.slug], f"/embed/{callout.slug}/answers/"),
    ):
        page_url = "http://testserver" + reverse(page_name, args=args)
        page = client.get(page_url).content.decode()
        assert 'type="application/json+oembed"' in page
        response = client.get("/oembed", {"url": page_url, "format": "json", "maxwidth": "500"})
        assert response.status_code == 200
        data = json.loads(response.content)
        assert data["type"] == "rich" and data["version"] == "1.0"
        assert data["provider_name"] == "The Daily Test"
        assert f'src="http://testserver{embed_path}"' in data["html"] and data["width"] == 500
    assert client.get("/oembed", {"url": "http://testserver/desk/"}).status_code == 404


def test_the_desk_shows_editors_the_snippet_and_the_resize_script(editor_client, callout):
    page = editor_client.get(reverse("questions:triage", args=[callout.pk])).content.decode()
    assert f"http://testserver/embed/{callout.slug}/form/" in page
    assert "/static/askdesk/embed.js" in page


def test_public_pages_wear_the_newsrooms_masthead_colours_and_no_staff_sign_in(client, callout, newsroom):
    Newsroom.objects.filter(pk=newsroom.pk).update(
        accent_colour="#005a9c", logo_url="https://cdn.daily.example/logo.svg", home_url=NEWSROOM_SITE
    )
    newsroom_public_changed(newsroom=newsroom)
    for url in (reverse("questions:story", args=[callout.story.slug]), reverse("answers:public", args=[callout.slug])):
        response = client.get(url)
        page = response.content.decode()
        assert 'src="https://cdn.daily.example/logo.svg"' in page and f'href="{NEWSROOM_SITE}"' in page
        assert "Staff sign in" not in page and "askdesk" not in page.split("<main")[0].split("</head>")[1]
        assert "https://cdn.daily.example" in response["Content-Security-Policy"]
    css = client.get(reverse("public:theme", args=[newsroom.slug])).content.decode()
    assert "--accent: #005a9c" in css
