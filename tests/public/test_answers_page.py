"""The answers page reads as the newsroom's own."""

from __future__ import annotations

from django.urls import reverse

from askdesk.answers.services import answer_publish_from_story
from askdesk.questions.models import QuestionEvidence
from tests.conftest import submit
from tests.public.helpers import published


def test_bylines_counts_anchors_share_links_and_story_answers_set_apart(client, callout, expert, editor):
    question = published(callout, expert, editor, "Is Norwich affected?", location="Norwich", publish_name=False)
    from_story, _ = submit(callout, "Were there casualties?")
    QuestionEvidence.objects.create(
        question=from_story, sentences=[["s1", 0.9]], answered=True, confidence=0.9, embedder="test"
    )
    answer_publish_from_story(question=from_story, actor=editor, passage=["s1"])
    submit(callout, "Not answered yet?")

    page = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert "Asked by a reader from Norwich" in page
    assert "3 questions received" in page and "2 answered" in page and "Last updated" in page
    assert f'id="q{question.pk}"' in page
    assert f'href="http://testserver/answers/{callout.slug}/#q{question.pk}"' in page
    experts, story = page.split("Already answered in our story")
    assert "Answered by our experts" in experts and "Is Norwich affected?" in experts
    assert "Were there casualties?" in story and "Is Norwich affected?" not in story
    assert (
        "2 questions answered so far"
        in client.get(reverse("questions:story", args=[callout.story.slug])).content.decode()
    )
