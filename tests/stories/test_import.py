from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from askdesk.callouts.models import Callout
from askdesk.stories.models import Story
from tests.conftest import DEMO_STORY


def test_import_story_command_creates_story_sentences_and_callout(newsroom):
    out = StringIO()
    call_command("import_story", str(DEMO_STORY), stdout=out)
    story = Story.objects.get()
    keys = list(story.sentences.values_list("key", flat=True))
    assert keys == [f"s{n}" for n in range(1, len(keys) + 1)]
    assert len(keys) == 29
    callout = Callout.objects.get(story=story)
    assert callout.prompt == "What do you want to understand better about the Israeli missile strike on Iran?"
    assert "never be published" in callout.publication_note
    assert "Opened call-out" in out.getvalue()


def test_importing_the_same_text_twice_makes_two_stories_with_their_own_slugs(newsroom):
    call_command("import_story", str(DEMO_STORY), stdout=StringIO())
    call_command("import_story", str(DEMO_STORY), stdout=StringIO())
    slugs = sorted(Story.objects.values_list("slug", flat=True))
    assert slugs == ["israeli-missile-strike-on-iran", "israeli-missile-strike-on-iran-2"]


def test_import_story_command_reports_an_empty_file_and_creates_nothing(newsroom, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_story", str(empty), stdout=StringIO())
    assert not Story.objects.exists()


def test_import_story_command_without_a_newsroom_says_what_to_do(db):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("import_story", str(DEMO_STORY), stdout=StringIO())


def test_editor_pastes_a_story_and_lands_on_its_page(editor_client):
    response = editor_client.post(
        "/desk/stories/new/",
        {"title": "", "text": "Storm warning\n\nA storm reaches the coast tonight. Ferries are cancelled."},
    )
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/stories/{story.slug}/"
    assert story.title == "Storm warning"
    page = editor_client.get(response["Location"]).content.decode()
    assert "Ferries are cancelled." in page


def test_editor_pasting_nothing_gets_an_error_and_nothing_is_stored(editor_client):
    response = editor_client.post("/desk/stories/new/", {"title": "", "text": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Story.objects.exists()


def test_experts_cannot_import_stories(expert_client):
    response = expert_client.get("/desk/stories/new/")
    assert response.status_code == 403


def test_load_demo_is_idempotent(db):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Story.objects.count() == 1
    assert Callout.objects.count() == 1
