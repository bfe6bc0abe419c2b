"""Grouping and story evidence, run through the background tasks as a worker would."""

import pytest
from django.urls import reverse

from askdesk.analysis import services as analysis
from askdesk.analysis.models import QuestionVector, SentenceVector
from askdesk.answers.services import answer_publish, answer_publish_from_story, answer_save, question_unpublish
from askdesk.questions.models import Question, QuestionEvidence, QuestionGroup, Theme
from askdesk.questions.services import (
    QuestionRefused,
    group_apply,
    group_merge,
    group_move_to_theme,
    question_assign,
    question_move,
)
from tests.conftest import submit


@pytest.fixture(autouse=True)
def fresh_worker_caches():
    analysis.clear_caches()
    yield
    analysis.clear_caches()


def ask(callout, text, capture, **fields):
    """Submit like a reader; the analysis task runs when the transaction commits."""
    with capture(execute=True):
        question, token = submit(callout, text, **fields)
    question.refresh_from_db()
    return question, token


@pytest.fixture
def asked(callout, django_capture_on_commit_callbacks):
    def _ask(text, **fields):
        return ask(callout, text, django_capture_on_commit_callbacks, **fields)

    return _ask


def test_a_new_question_is_embedded_grouped_and_checked_against_the_story(asked, callout):
    question, _ = asked("Were there any casualties in the strike?")
    assert QuestionVector.objects.filter(question=question, embedder="hashing-256").exists()
    assert question.group is not None and question.group.size == 1
    assert question.group.representative == question
    evidence = question.evidence
    top_sentence = callout.story.sentences.get(key=evidence.keys[0])
    assert top_sentence.text == "No casualties have been reported."
    assert evidence.sentences == sorted(evidence.sentences, key=lambda pair: -pair[1])
    # Story sentences are embedded once and kept.
    assert SentenceVector.objects.filter(sentence__story=callout.story).count() == callout.story.sentences.count()


def test_questions_asking_the_same_thing_join_one_group(asked):
    first, _ = asked("Will Iran retaliate against Israel for the strike?")
    second, _ = asked("Will Iran retaliate against Israel?")
    other, _ = asked("What does the IAEA inspect at nuclear sites?")
    assert second.group_id == first.group_id
    assert other.group_id != first.group_id
    assert QuestionGroup.objects.get(pk=first.group_id).size == 2


def test_a_regroup_runs_after_enough_new_questions_and_keeps_hand_placed_questions(asked, callout, editor, settings):
    settings.ASKDESK_REGROUP_EVERY = 4
    settings.ASKDESK_REGROUP_SHARE = 0.0
    a, _ = asked("Will Iran retaliate against Israel?")
    b, _ = asked("What is the IAEA?")
    question_move(question=b, target=a.group, actor=editor)  # an editor's choice, even if odd
    group_before = a.group_id
    asked("Will Iran retaliate against Israel soon?")
    asked("Was anybody killed in Isfahan?")
    callout.refresh_from_db()
    assert callout.questions_at_last_regroup == 4
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.group_id == a.group_id and b.group_locked
    assert a.group_id == group_before  # a regroup keeps the ids of the groups it continues
    sizes = sorted(QuestionGroup.objects.filter(callout=callout).values_list("size", flat=True), reverse=True)
    assert sum(sizes) == 4 and sizes[0] >= 2


def test_after_a_burst_the_backlog_is_regrouped_as_it_is_analysed_not_once_at_its_start(callout, settings, monkeypatch):
    settings.ASKDESK_REGROUP_EVERY = 3
    settings.ASKDESK_REGROUP_SHARE = 0.0
    # Ten readers ask before the worker gets to any of them (the analysis tasks wait).
    waiting = [submit(callout, f"Question number {n} about the strike?")[0] for n in range(10)]
    regrouped_at = []
    original = analysis.callout_regroup

    def counting(*, callout_id):
        regrouped_at.append(QuestionVector.objects.filter(question__callout_id=callout_id).count())
        return original(callout_id=callout_id)

    monkeypatch.setattr(analysis, "callout_regroup", counting)
    for question in waiting:
        analysis.question_analyse(question_id=question.pk)
    # A regroup after every three analysed questions, the last one over nine of the ten.
    assert regrouped_at == [3, 6, 9]
    callout.refresh_from_db()
    assert callout.questions_at_last_regroup == 9


def test_triage_lists_groups_largest_first_with_their_count(
    editor_client, asked, callout, django_assert_max_num_queries
):
    for text in ("Will Iran retaliate?", "Will Iran retaliate against Israel?", "Will Iran retaliate now?"):
        asked(text)
    asked("What is the IAEA?")
    # Constant: the page, the alert badge, the readers who joined each group without writing,
    # the newsrooms the editor works for, the themes with their groups and the theme filter, and
    # the version live triage polls from.
    with django_assert_max_num_queries(18):
        page = editor_client.get(reverse("questions:triage", args=[callout.pk]) + "?view=groups").content.decode()
    assert "3 readers asked this" in page and "1 reader asked this" in page
    assert page.index("3 readers asked this") < page.index("1 reader asked this")
    group = QuestionGroup.objects.order_by("-size").first()
    members = editor_client.get(reverse("questions:triage", args=[callout.pk]) + f"?group={group.pk}").content.decode()
    assert "Will Iran retaliate now?" in members and "What is the IAEA?" not in members


def test_editors_act_on_a_whole_group(editor_client, asked, callout, expert):
    first, _ = asked("Will Iran retaliate?")
    asked("Will Iran retaliate against Israel?")
    url = reverse("questions:group_act", args=[callout.pk])
    editor_client.post(url, {"group_action": f"shortlist:{first.group_id}"})
    assert set(Question.objects.filter(group=first.group_id).values_list("status", flat=True)) == {"shortlisted"}
    editor_client.post(url, {"group_action": f"assign:{first.group_id}", f"expert_{first.group_id}": expert.pk})
    assert set(Question.objects.filter(group=first.group_id).values_list("assigned_to", flat=True)) == {expert.pk}


def test_editors_merge_groups_and_move_a_question_out(editor_client, asked, callout, editor):
    a, _ = asked("Will Iran retaliate?")
    b, _ = asked("What is the IAEA?")
    c, _ = asked("Is the Isfahan airbase damaged?")
    response = editor_client.post(
        reverse("questions:group_act", args=[callout.pk]), {"merge": "1", "selected": [a.group_id, b.group_id]}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.group_id == b.group_id and a.group.size == 2
    assert QuestionGroup.objects.filter(callout=callout).count() == 2
    editor_client.post(reverse("questions:act", args=[b.pk]), {"action": "move", "group": "new"})
    b.refresh_from_db()
    assert b.group_id not in (a.group_id, c.group_id) and b.group.size == 1
    a.group.refresh_from_db()
    assert a.group.size == 1
    with pytest.raises(QuestionRefused):
        group_merge(target=a.group, others=[], actor=editor)


def test_one_answer_publishes_for_every_asker_of_the_group(client, asked, callout, editor, expert):
    first, _ = asked("Will Iran retaliate?", name="Sara", location="Leeds")
    second, second_token = asked("Will Iran retaliate against Israel?")
    third, _ = asked("Will Iran retaliate now?")
    group_apply(group=first.group, action="shortlist", actor=editor)
    Question.objects.filter(pk=third.pk).update(status="rejected")  # set aside by an editor
    question_assign(question=first, expert=expert, actor=editor)
    answer_save(question=first, expert=expert, body="Officials say there are no plans to.", submit=True)
    answer_publish(question=first, actor=editor, cover=[second.pk, third.pk])  # the editor's ticks
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.covered_by_id) == ("covered", first.pk)
    assert third.status == "rejected"
    public = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert public.count("Will Iran retaliate") == 1
    assert "Asked by Sara, Leeds" in public and "and 1 other reader" in public
    status = client.get(reverse("questions:status", args=[second_token])).content.decode()
    assert "Answered with its group" in status
    assert "Officials say there are no plans to." in status

    question_unpublish(question=first, actor=editor)
    second.refresh_from_db()
    assert (second.status, second.covered_by_id) == ("shortlisted", None)


def test_an_editor_publishes_the_answer_from_the_story_after_a_preview(editor_client, client, asked, callout):
    question, _ = asked("Were there any casualties?")
    question.evidence.answered = True  # the decision itself is tested in tests/nlp
    question.evidence.save(update_fields=["answered"])
    detail = editor_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert "The story answers this" in detail
    assert 'class="sentence highlight" id="' in detail
    passage = question.evidence.keys[0]
    editor_client.post(reverse("answers:publish_from_story", args=[question.pk]), {"passage": passage, "confirm": "1"})
    question.refresh_from_db()
    assert question.status == "published" and question.answer.source == "story"
    assert question.answer.body == "No casualties have been reported."
    public = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert "No casualties have been reported." in public and "our story</a>" in public


def test_publishing_from_the_story_is_refused_when_the_story_does_not_answer(asked, editor):
    question, _ = asked("What will petrol cost next year in Leeds?")
    question.evidence.answered = False
    question.evidence.save(update_fields=["answered"])
    with pytest.raises(QuestionRefused, match="does not answer"):
        answer_publish_from_story(question=question, actor=editor, passage=question.evidence.keys[:1])
    question.refresh_from_db()
    assert question.status == "new"


def test_the_reader_sees_the_passage_that_may_answer_them(client, asked):
    _, token = asked("Were there any casualties?")
    page = client.get(reverse("questions:status", args=[token])).content.decode()
    assert "The story may already answer this" in page
    assert "No casualties have been reported." in page


def test_a_question_deleted_before_the_worker_runs_is_skipped(callout):
    question, _ = submit(callout, "Gone soon?")
    question_id = question.pk
    question.delete()
    analysis.question_analyse(question_id=question_id)
    assert not QuestionVector.objects.exists()


def test_every_group_sits_in_a_theme_and_a_question_gets_its_language(asked, callout):
    first, _ = asked("Will Iran retaliate against Israel for the strike?")
    second, _ = asked("Will Iran retaliate against Israel?")
    french, _ = asked("Est-ce que l'Iran va riposter contre Israël ?")
    assert first.text_language == "en" and french.text_language == "fr"
    assert second.group_id == first.group_id
    # A question in another language is kept apart: the model reads English only.
    assert french.group_id != first.group_id
    for question in (first, french):
        assert question.group.theme is not None
    theme = Theme.objects.get(pk=first.group.theme_id)
    assert theme.size >= 2 and theme.label == QuestionGroup.objects.get(pk=first.group_id).label


def test_a_group_label_is_its_representative_question_not_keywords(asked):
    first, _ = asked("Will Iran retaliate against Israel for the strike?")
    asked("Will Iran retaliate against Israel?")
    group = QuestionGroup.objects.get(pk=first.group_id)
    assert group.representative is not None
    assert group.label == group.representative.display_text
    group.title = "Iranian retaliation"
    assert group.display_label == "Iranian retaliation"


def test_triage_shows_themes_with_their_groups_and_filters_by_one_theme(editor_client, asked, callout, editor):
    asked("Will Iran retaliate?")
    asked("Will Iran retaliate against Israel?")
    b, _ = asked("What does the IAEA inspect at nuclear sites?")
    group_move_to_theme(group=b.group, theme=None, actor=editor)
    b.refresh_from_db()
    url = reverse("questions:triage", args=[callout.pk]) + "?view=groups"
    page = editor_client.get(url).content.decode()
    assert "2 readers asked this" in page and "What does the IAEA inspect" in page
    filtered = editor_client.get(url + f"&theme={b.group.theme_id}").content.decode()
    assert "What does the IAEA inspect at nuclear sites?</a>" in filtered
    assert "Will Iran retaliate?</a>" not in filtered  # still offered in the theme filter


def test_a_regroup_keeps_an_editors_theme_placement(asked, callout, editor, settings):
    a, _ = asked("Will Iran retaliate against Israel?")
    b, _ = asked("Will Iran retaliate against Israel soon?")
    theme = group_move_to_theme(group=a.group, theme=None, actor=editor)
    analysis.callout_regroup(callout_id=callout.pk)
    a.refresh_from_db()
    b.refresh_from_db()
    group = QuestionGroup.objects.get(pk=a.group_id)
    if group.pk == b.group_id or group.theme_locked:
        assert group.theme_id == theme.pk
    assert Theme.objects.filter(callout=callout, size__gt=0).exists()
    assert sum(QuestionGroup.objects.filter(callout=callout).values_list("size", flat=True)) == 2


def test_analysing_a_question_twice_changes_nothing(asked, callout):
    """A worker killed mid-task leaves its task to run again: the second run must be a no-op."""
    asked("Were there any casualties in the strike?")
    question, _ = asked("Were there casualties after the strike?")

    def snapshot():
        return (
            list(QuestionVector.objects.order_by("pk").values_list("pk", "question_id", "vector")),
            list(QuestionGroup.objects.order_by("pk").values_list("pk", "size", "label", "representative_id")),
            list(Question.objects.order_by("pk").values_list("pk", "group_id")),
            list(QuestionEvidence.objects.order_by("pk").values_list("pk", "sentences", "computed_at")),
        )

    before = snapshot()
    analysis.clear_caches()  # as in a fresh worker process
    analysis.question_analyse(question_id=question.pk)
    analysis.question_analyse(question_id=question.pk)
    assert snapshot() == before


def test_the_worker_groups_with_the_title_of_the_call_outs_story(asked, callout, settings, monkeypatch):
    """Words every reader borrows from the story's title are left out of the pair model."""
    settings.ASKDESK_REGROUP_EVERY = 2
    settings.ASKDESK_REGROUP_SHARE = 0.0
    titles: list[str] = []

    def spy(real):
        def wrapped(*args, **kwargs):
            titles.append(kwargs.get("title", ""))
            return real(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(analysis, "join_group", spy(analysis.join_group))
    monkeypatch.setattr(analysis, "same_question_groups", spy(analysis.same_question_groups))
    asked("Will Iran retaliate against Israel?")
    asked("Will Iran retaliate against Israel soon?")
    # The second question was joined against the first; two questions started a regroup.
    assert titles == [callout.story.title, callout.story.title]
    assert callout.story.title
