from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from askdesk.accounts.access import editor_required, expert_for, newsroom_ids, staff_required
from askdesk.answers import services
from askdesk.answers.selectors import expert_brief, published_questions
from askdesk.callouts.models import Callout
from askdesk.questions.access import get_question_for_staff
from askdesk.questions.selectors import expert_queue, question_evidence
from askdesk.stories.selectors import story_paragraphs


def public_answers(request: HttpRequest, callout_slug: str) -> HttpResponse:
    callout = get_object_or_404(Callout.objects.select_related("story"), slug=callout_slug)
    return render(
        request,
        "answers/public.html",
        {"callout": callout, "story": callout.story, "questions": list(published_questions(callout=callout))},
    )


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


@editor_required
@require_POST
def answer_action(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_staff(request, pk)
    action = request.POST.get("action", "")
    try:
        if action in {"publish", "edit"} and "body" in request.POST:
            services.answer_edit_by_editor(question=question, body=request.POST["body"], actor=request.user)
        if action == "edit":
            messages.success(request, "Answer saved. It is still waiting for approval.")
        elif action == "publish":
            services.answer_publish(question=question, actor=request.user)
            messages.success(request, "Answer approved and published.")
        elif action == "publish_from_story":
            services.answer_publish_from_story(question=question, actor=request.user)
            messages.success(request, "Published with the answer from the story.")
        elif action == "unpublish":
            services.question_unpublish(question=question, actor=request.user)
            messages.success(request, "Taken off the public page.")
        elif action == "return":
            services.answer_return(question=question, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, "Answer sent back to the expert, with your note.")
        else:
            messages.error(request, "Unknown action.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("questions:detail", pk=question.pk)
