from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from askdesk.accounts.access import editor_required, expert_for, newsroom_ids, staff_required
from askdesk.answers import services
from askdesk.answers.selectors import (
    CoverCandidate,
    cover_candidates,
    expert_brief,
    passage_choices,
)
from askdesk.callouts.models import Callout
from askdesk.newsrooms.language import reader_language
from askdesk.ops.limits import limit_exceeded
from askdesk.questions.access import get_question_for_staff
from askdesk.questions.models import Question
from askdesk.questions.selectors import expert_queue, question_evidence
from askdesk.readers.suggestions import Suggestions, suggestions_for
from askdesk.stories.selectors import story_paragraphs


def suggest_allowed(request: HttpRequest) -> bool:
    """One client's suggestion calls, within ``suggest_client``: over it, a 429 and no suggestions.

    The counter holds a keyed hash of the client, never the text; the form works the same.
    """
    return not limit_exceeded(request, "suggest_client")


@csrf_exempt  # changes nothing and returns nothing personal; the embed may run without cookies
@require_POST  # the draft travels in the body, never in a URL that access logs keep
@sensitive_post_parameters("question")
def suggest(request: HttpRequest, callout_slug: str) -> JsonResponse:
    """While the reader types: the story passage and published answers that may answer them.

    Nothing typed is stored or logged, and the reader's text is never sent back.
    """
    callout = get_object_or_404(Callout.objects.select_related("story__newsroom"), slug=callout_slug)
    if not suggest_allowed(request):
        return JsonResponse({"story": [], "similar": [], "waiting": []}, status=429)
    found = Suggestions()
    if callout.is_open:
        found = suggestions_for(callout=callout, text=request.POST.get("question", ""))
    story_url = reverse("questions:story", args=[callout.story.slug])
    public_url = reverse("answers:public", args=[callout.slug])
    # The form's language and whether it is the embed, so that the "I want to know too" page
    # opens as the form did (inside the newsroom's page, framed as the embed's own join forms).
    language = reader_language(request, default=callout.story.newsroom.language)
    join_query = f"?lang={language}" + ("&embed=1" if request.GET.get("embed") == "1" else "")
    with translation.override(language):
        waiting = [
            {
                "text": w.text,
                "asked": w.asked,
                "asked_label": ngettext("%(counter)s reader asked this", "%(counter)s readers asked this", w.asked)
                % {"counter": w.asked},
                "url": reverse("readers:also_ask", args=[w.question_id]) + join_query,
            }
            for w in found.waiting
        ]
    response = JsonResponse(
        {
            "story": [{"text": h.text, "url": f"{story_url}#{h.key}"} for h in found.story],
            "similar": [{"text": a.text, "url": f"{public_url}#q{a.question_id}"} for a in found.similar],
            "waiting": waiting,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_safe
def my_questions(request: HttpRequest) -> HttpResponse:
    expert = expert_for(request.user)
    if expert is None:
        raise Http404("Only experts have questions assigned to them.")
    return render(
        request,
        "answers/queue.html",
        {"expert": expert, "questions": list(expert_queue(expert=expert, newsroom_ids=newsroom_ids(request.user)))},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_staff(request, pk)
    expert = expert_for(request.user)
    if expert is None or question.assigned_to_id != expert.pk:
        raise Http404("This question is not assigned to you.")
    answer = getattr(question, "answer", None)
    body = answer.body if answer is not None else ""
    _, found = question_evidence(question=question)
    error = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        submit = request.POST.get("submit") == "1"
        try:
            services.answer_save(question=question, expert=expert, body=body, submit=submit)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Answer sent to the editors for approval." if submit else "Draft saved.")
            if submit:
                return redirect("answers:queue")
            return redirect("answers:edit", pk=question.pk)
    return render(
        request,
        "answers/edit.html",
        {
            "question": question,
            "answer": answer,
            "body": body,
            "error": error,
            "story": question.callout.story,
            "paragraphs": story_paragraphs(story=question.callout.story),
            "evidence_sentences": found,
            "highlight": [sentence.key for sentence, _ in found],
            "brief": expert_brief(question=question),
        },
        status=400 if error else 200,
    )


def _ticked(request: HttpRequest, candidates: list[CoverCandidate]) -> set[int]:
    """The questions ticked on the form (after a submit) or by default (on first view)."""
    if request.method == "POST":
        return {int(v) for v in request.POST.getlist("cover") if v.isdigit()}
    return {c.question.pk for c in candidates if c.ticked}


def _publish(
    request: HttpRequest, question: Question, ticked: set[int], how: str, publish: Callable[[], object]
) -> tuple[HttpResponse | None, str]:
    """Run a publishing service: the redirect after it, or the error to show on the page."""
    try:
        publish()
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    return _published(request, question, ticked, how), ""


def _published(request: HttpRequest, question: Question, ticked: set[int], how: str) -> HttpResponse:
    covered = Question.objects.filter(covered_by=question).count()
    also = f" It also answers {covered} other reader{'s' if covered != 1 else ''}." if covered else ""
    missed = len(ticked) - covered
    if missed > 0:
        also += f" {missed} ticked question{'s' if missed != 1 else ''} had changed state and were left as they were."
    messages.success(request, how + also)
    return redirect("questions:detail", pk=question.pk)


@editor_required
@require_http_methods(["GET", "POST"])
def answer_publish_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the expert's answer: first the readers it would also answer, each with a tick box."""
    question = get_question_for_staff(request, pk)
    candidates = cover_candidates(question=question)
    ticked = _ticked(request, candidates)
    error = ""
    if request.method == "POST":
        done, error = _publish(
            request,
            question,
            ticked,
            "Answer approved and published.",
            lambda: services.answer_publish(question=question, actor=request.user, cover=sorted(ticked)),
        )
        if done is not None:
            return done
    return render(
        request,
        "answers/publish.html",
        {
            "question": question,
            "answer": getattr(question, "answer", None),
            "candidates": candidates,
            "ticked": ticked,
            "error": error,
        },
        status=400 if error else 200,
    )


@editor_required
@require_http_methods(["GET", "POST"])
def story_publish_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a passage of the story as the answer: choose, extend, add context, preview, confirm."""
    question = get_question_for_staff(request, pk)
    evidence, found = question_evidence(question=question)
    choices = passage_choices(story_id=question.callout.story_id, keys=[s.key for s, _ in found])
    options = {p.value: p for group in choices for p in group}
    candidates = cover_candidates(question=question)
    ticked = _ticked(request, candidates)
    chosen = request.POST.get("passage", "") if request.method == "POST" else ""
    passage = options.get(chosen) or (choices[0][0] if choices else None)
    context = " ".join(request.POST.get("context", "").split())[: services.CONTEXT_LENGTH]
    error = ""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        done, error = _publish(
            request,
            question,
            ticked,
            "Published with the answer from the story.",
            lambda: services.answer_publish_from_story(
                question=question,
                actor=request.user,
                passage=chosen.split(",") if chosen in options else [],
                context=context,
                cover=sorted(ticked),
            ),
        )
        if done is not None:
            return done
    return render(
        request,
        "answers/publish_story.html",
        {
            "question": question,
            "evidence": evidence,
            "choices": choices,
            "passage": passage,
            "context": context,
            "candidates": candidates,
            "ticked": ticked,
            "error": error,
        },
        status=400 if error else 200,
    )


@editor_required
@require_POST
def answer_action(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_staff(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "edit":
            services.answer_edit_by_editor(question=question, body=request.POST.get("body", ""), actor=request.user)
            messages.success(request, "Answer saved. It is still waiting for approval.")
        elif action == "unpublish":
            services.question_unpublish(question=question, actor=request.user)
            messages.success(request, "Taken off the public page.")
        elif action == "return":
            services.answer_return(question=question, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, "Answer sent back to the expert, with your note.")
        else:
            # Publishing goes through a page that shows who else the answer would answer.
            messages.error(request, "Unknown action.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("questions:detail", pk=question.pk)
