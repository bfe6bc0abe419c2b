import pytest

from askdesk.callouts.services import callout_set_status
from askdesk.questions.links import hash_token
from askdesk.questions.models import Question, ReaderContact
from tests.conftest import form_data


def story_url(callout):
    return f"/stories/{callout.story.slug}/"


def ask_url(callout):
    return f"/ask/{callout.slug}/"


def test_story_page_shows_the_story_the_prompt_and_the_form(client, callout):
    page = client.get(story_url(callout)).content.decode()
    assert "Israeli missile strike on Iran" in page
    assert "No casualties have been reported." in page
    assert "What do you want to understand better about the Israeli missile strike on Iran?" in page
    assert 'name="question"' in page and 'name="consent"' in page
    for label in ("Don&#x27;t publish my name", "Don&#x27;t publish my age", "Don&#x27;t publish my location"):
        assert label in page
    assert "terms and conditions</a>" in page and "privacy policy</a>" in page
    # The call-out paragraph is shown as the call-out, not as part of the story body.
    assert page.count("will be answering your questions") == 1


def test_a_valid_question_is_stored_with_consent_and_the_reader_gets_a_private_link(client, callout):
    data = form_data(callout, email="sara@example.com", phone="07700 900123", hide_age="on")
    response = client.post(ask_url(callout), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.text == "Will Iran retaliate against Israel?"
    assert (question.name, question.age, question.location) == ("Sara", 34, "Leeds")
    assert (question.publish_name, question.publish_age, question.publish_location) == (True, False, True)
    assert question.terms.version == "1" and question.privacy_policy.kind == "privacy"
    assert question.consented_at is not None
    contact = ReaderContact.objects.get(question=question)
    assert (contact.email, contact.phone) == ("sara@example.com", "+447700900123")
    token = response["Location"].split("/q/")[1].split("/")[0]
    assert len(token) >= 40
    assert question.access_token_hash == hash_token(token) != token
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you, your question has been sent" in thanks
    assert f"/q/{token}/" in thanks


def test_submitting_the_same_form_twice_stores_one_question(client, callout):
    data = form_data(callout)
    first = client.post(ask_url(callout), data)
    second = client.post(ask_url(callout), data)
    assert Question.objects.count() == 1
    assert first["Location"] == second["Location"]


BAD_INPUT = [
    ({"question": ""}, "question", "Enter your question."),
    ({"question": "x" * 1001}, "question", "too long"),
    ({"age": "200"}, "age", "Enter an age between"),
    ({"age": "thirty"}, "age", "Enter your age as a number"),
    ({"email": "sara@"}, "email", "Enter an email address"),
    ({"phone": "12345"}, "phone", "Enter a phone number we can call"),
    ({"consent": None}, "consent", "Tick the box"),
]


@pytest.mark.parametrize(("override", "field", "message"), BAD_INPUT)
def test_bad_input_is_explained_next_to_the_field_keeps_what_was_typed_and_saves_nothing(
    client, callout, override, field, message
):
    data = form_data(callout, **override)
    response = client.post(ask_url(callout), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert f'href="#id_{field}"' in page
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert 'value="Leeds"' in page  # what the reader typed elsewhere is kept
    assert Question.objects.count() == 0
    assert ReaderContact.objects.count() == 0


def test_a_closed_callout_takes_no_questions(client, callout):
    callout_set_status(callout=callout, status="closed", actor=None)
    response = client.post(ask_url(callout), form_data(callout))
    assert response.status_code == 400
    assert "This call-out is closed" in response.content.decode()
    assert Question.objects.count() == 0
    assert 'name="question"' not in client.get(story_url(callout)).content.decode()


def test_a_callout_can_require_a_way_to_reach_the_reader(client, callout):
    callout.require_contact = True
    callout.save(update_fields=["require_contact"])
    refused = client.post(ask_url(callout), form_data(callout))
    assert refused.status_code == 400
    assert "Give an email address or a phone number" in refused.content.decode()
    accepted = client.post(ask_url(callout), form_data(callout, phone="+44 7700 900123"))
    assert accepted.status_code == 302
    assert Question.objects.count() == 1


def test_the_private_link_shows_status_and_deletes_everything(client, callout):
    response = client.post(ask_url(callout), form_data(callout, email="sara@example.com"))
    status_url = response["Location"].split("?")[0]
    page = client.get(status_url).content.decode()
    assert 'data-status="new">New</strong>' in page
    assert "Will Iran retaliate against Israel?" in page
    confirm = client.get(status_url + "delete/")
    assert "Delete your question?" in confirm.content.decode()
    done = client.post(status_url + "delete/")
    assert "Your question has been deleted" in done.content.decode()
    assert Question.objects.count() == 0 and ReaderContact.objects.count() == 0
    assert client.get(status_url).status_code == 404


def test_a_made_up_private_link_finds_nothing(client, callout):
    assert client.get("/q/not-a-real-token-at-all/").status_code == 404
    assert client.post("/q/not-a-real-token-at-all/delete/").status_code == 404
