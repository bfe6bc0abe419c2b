"""The reader form posts to the page it is on: an error page is the story page (or the embed) at
its own address, not a form-only URL, and nothing the reader typed is kept between requests."""

from __future__ import annotations

import re

from django.test import Client

from askdesk.questions.models import Question, ReaderContact
from tests.conftest import form_data

TYPED = "Is my town near Isfahan safe tonight?"


def _form_action(page: str) -> str:
    found = re.search(r'<form method="post" action="([^"]+)" class="ask-form"', page)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


def test_bad_input_on_the_story_page_shows_the_error_at_the_story_pages_own_address_and_keeps_nothing(
    client: Client, callout
) -> None:
    story_url = f"/stories/{callout.story.slug}/"
    action = _form_action(client.get(story_url).content.decode())
    assert action == f"{story_url}?lang=en"

    response = client.post(action, form_data(callout, question=TYPED, consent=None, email="not-an-address"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and TYPED in page and 'value="Leeds"' in page
    assert _form_action(page) == action  # fixing it posts to the same page again
    assert not Question.objects.exists() and not ReaderContact.objects.exists()

    # The address of the error page is the story page: opened again, it is the ordinary page,
    # served from the cache, with nothing of what was typed.
    again = client.get(action)
    assert again.status_code == 200
    assert TYPED not in again.content.decode() and "There is a problem" not in again.content.decode()

    sent = client.post(action, form_data(callout, question=TYPED))
    assert sent.status_code == 302 and "/q/" in sent["Location"] and "submitted=1" in sent["Location"]
    assert Question.objects.get().text == TYPED


def test_bad_input_in_the_embedded_form_shows_the_error_inside_the_frame_at_the_embeds_address(
    client: Client, callout
) -> None:
    embed_url = f"/embed/{callout.slug}/form/"
    action = _form_action(client.get(embed_url).content.decode())
    assert action == f"{embed_url}?lang=en"

    response = client.post(action, form_data(callout, question=""), headers={"Origin": "http://testserver"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "X-Frame-Options" not in response and "frame-ancestors" in response["Content-Security-Policy"]
    assert not Question.objects.exists()
    assert TYPED not in client.get(embed_url).content.decode()

    sent = client.post(action, form_data(callout, question=TYPED), headers={"Origin": "http://testserver"})
    assert sent.status_code == 302 and sent["Location"].endswith("&embed=1")


def test_the_story_page_and_embed_refuse_posts_from_other_sites_as_the_form_address_does(client: Client, callout):
    for url in (f"/stories/{callout.story.slug}/", f"/embed/{callout.slug}/form/"):
        forged = client.post(url, form_data(callout), headers={"Origin": "https://evil.example"})
        assert forged.status_code == 403
    assert not Question.objects.exists()
