from __future__ import annotations

import logging
import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import parse_etags
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from askdesk.accounts.access import editor_required, experts_of, is_editor, staff_required
from askdesk.analysis.meaning import questions_by_meaning
from askdesk.callouts.access import get_callout_for_editor
from askdesk.callouts.models import Callout
from askdesk.newsrooms.csp import public_csp
from askdesk.newsrooms.language import reader_language, text_direction
from askdesk.newsrooms.models import LegalDocument, Newsroom
from askdesk.newsrooms.selectors import legal_document_current
from askdesk.ops.errors import reader_error_page
from askdesk.ops.limits import limit_exceeded, repeated_text, too_many_requests
from askdesk.privacy.services import can_reveal_contacts
from askdesk.questions import services
from askdesk.questions.access import get_question_for_staff
from askdesk.questions.byline import byline_for
from askdesk.questions.forms import QuestionForm
from askdesk.questions.formtoken import form_token, post_origin_refused
from askdesk.questions.models import Question, QuestionGroup, Theme
from askdesk.questions.rows import prepare_group_rows, triage_rows
from askdesk.questions.selectors import (
    WELFARE_ALL,
    WELFARE_SHOWN,
    callout_language,
    desk_version,
    group_state_counts,
    groups_for_moving,
    groups_with_joined,
    groups_without_theme,
    neighbours_in_list,
    neighbours_in_ranking,
    published_count,
    question_by_token,
    question_evidence,
    question_history,
    question_languages,
    reader_answer,
    reader_has_email,
    story_may_answer,
    themes_for_filter,
    triage_counts,
    triage_groups_page,
    triage_page,
    triage_page_ranked,
    triage_themes_page,
    ungrouped_count,
    welfare_questions,
)
from askdesk.stories.models import Story
from askdesk.stories.selectors import story_paragraphs

logger = logging.getLogger(__name__)

# Public pages ---------------------------------------------------------------------------


def story_page_context(
    *, story: Story, callout: Callout | None, form: QuestionForm | None, site: str
) -> dict[str, object]:
    """What the story page and the embedded form show; the same for every reader."""
    newsroom = story.newsroom
    return {
        "story": story,
        "newsroom": newsroom,
        "site": site,
        "paragraphs": story_paragraphs(story=story),
        "callout": callout,
        "form": form,
        "form_token": form_token(callout_id=callout.pk) if callout is not None else "",
        "answered_count": published_count(callout=callout) if callout is not None else 0,
        "terms": legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.TERMS),
        "privacy": legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.PRIVACY),
    }


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    logger.warning("Reader form refused: %s", reason)
    return render(request, "questions/refused.html", status=403)


# The form is embedded in newsrooms' pages, where third-party cookies are blocked, and served
# from a shared cache: Django's cookie-based CSRF check is replaced by a signed form token bound
# to the call-out and by Origin / Sec-Fetch-Site checks (formtoken.py, docs/security.md).
@csrf_exempt
@require_POST
@sensitive_post_parameters("email", "phone", "name", "age", "location")
@sensitive_variables()
def ask(request: HttpRequest, callout_slug: str) -> HttpResponse:
    """The form's former address, kept for pages cached (or open in a browser) from before it posted to its own page."""
    callout = get_object_or_404(Callout.objects.select_related("story__newsroom"), slug=callout_slug)
    return _ask_checked(request, callout, embed=request.GET.get("embed") == "1")


# The reader form posts to the page it is on (the story page or the embed), so an error page is
# that page, at its own address, and a success is a redirect to the private link (docs/architecture.md).
@sensitive_post_parameters("email", "phone", "name", "age", "location")
@sensitive_variables()
def ask_on_page(request: HttpRequest, *, callout_id: int, embed: bool) -> HttpResponse:
    """The reader form, posted to the story page or the embedded form of this call-out."""
    callout = get_object_or_404(Callout.objects.select_related("story__newsroom"), pk=callout_id)
    return _ask_checked(request, callout, embed=embed)


def _ask_checked(request: HttpRequest, callout: Callout, *, embed: bool) -> HttpResponse:
    newsroom = callout.story.newsroom
    refused = post_origin_refused(request, allowed_origins=newsroom.allowed_origins)
    if refused:
        return _framed(_refused(request, refused), newsroom) if embed else _refused(request, refused)
    # Both limits count this request, so a client over its own limit also counts for the call-out.
    over_client = limit_exceeded(request, "ask_client")
    over_callout = limit_exceeded(request, "ask_callout", target=f"callout:{callout.pk}")
    if over_client or over_callout:
        response = too_many_requests(
            request,
            gettext_lazy(
                "You have sent several questions in a short time. Please wait a few minutes before sending another."
            )
            if over_client
            else gettext_lazy(
                "This call-out is receiving a great many questions right now. Please try again in a few minutes."
            ),
        )
        return _framed(response, newsroom) if embed else response  # shown inside the newsroom's page
    language = reader_language(request, default=callout.story.newsroom.language)
    with translation.override(language):
        return _ask(request, callout, embed=embed, language=language)


def _ask(request: HttpRequest, callout: Callout, *, embed: bool, language: str) -> HttpResponse:
    form = QuestionForm(request.POST, callout=callout)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _, token, _ = services.question_submit(
                callout=callout,
                submission_key=data["submission_key"] or uuid.uuid4(),
                text=data["question"],
                consent=data["consent"],
                name=data["name"],
                age=data["age"],
                location=data["location"],
                publish_name=not data["hide_name"],
                publish_age=not data["hide_age"],
                publish_location=not data["hide_location"],
                email=data["email"],
                phone=data["phone"],
                language=translation.get_language() or "",
                spam=repeated_text(request, data["question"], scope=f"callout:{callout.pk}"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status_url = reverse("questions:status", args=[token]) + f"?submitted=1&lang={language}"
            return redirect(status_url + ("&embed=1" if embed else ""))
    context = story_page_context(story=callout.story, callout=callout, form=form, site=_site(request))
    context.update(lang=language, dir=text_direction(language))
    response = render(request, "public/embed_form.html" if embed else "questions/story.html", context, status=400)
    return _framed(response, callout.story.newsroom) if embed else response


def _framed(response: HttpResponse, newsroom: Newsroom) -> HttpResponse:
    """A page shown inside the newsroom's own pages: only the sites it allowed may frame it."""
    response["Content-Security-Policy"] = public_csp(newsroom, frameable=True)
    response.xframe_options_exempt = True
    return response


def _link_not_found(request: HttpRequest) -> HttpResponse:
    message = gettext("This link does not lead to a question. It may have been deleted.")
    return reader_error_page(request, "404.html", {"message": message}, status=404)


def question_status(request: HttpRequest, token: str) -> HttpResponse:
    question = question_by_token(token=token)
    if question is None:
        return _link_not_found(request)
    private_url = request.build_absolute_uri(reverse("questions:status", args=[token]))
    evidence, found = question_evidence(question=question)
    embed = request.GET.get("embed") == "1"
    newsroom = question.callout.story.newsroom
    language = reader_language(request, default=newsroom.language)
    with translation.override(language):
        response = render(
            request,
            "questions/status.html",
            {
                "base_template": "public/embed_base.html" if embed else "public/base.html",
                "newsroom": newsroom,
                "lang": language,
                "dir": text_direction(language),
                "question": question,
                "private_url": private_url,
                "just_submitted": request.GET.get("submitted") == "1",
                "has_email": reader_has_email(question=question),
                "answer": reader_answer(question=question),
                "covered_by": question.covered_by if question.status == Question.Status.COVERED else None,
                "evidence_sentences": found[:1] if story_may_answer(evidence) else [],
                "public_url": reverse("answers:public", args=[question.callout.slug]),
                "token": token,
            },
        )
    return _framed(response, newsroom) if embed else response


@require_POST
def question_decline_cover(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the reader's private link: "This doesn't answer my question"."""
    question = question_by_token(token=token)
    if question is None:
        return _link_not_found(request)
    try:
        services.question_decline_cover(question=question)
    except ValidationError:
        pass  # already back in triage (a second click): the status page says where it is
    else:
        messages.success(
            request, gettext("Thank you. Your question is back with our editors, who will look at it again.")
        )
    return redirect("questions:status", token=token)


@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, token: str) -> HttpResponse:
    question = question_by_token(token=token)
    if question is None:
        return _link_not_found(request)
    story = question.callout.story
    language = reader_language(request, default=story.newsroom.language)
    page = {"story": story, "newsroom": story.newsroom, "lang": language, "dir": text_direction(language)}
    with translation.override(language):
        if request.method == "POST":
            services.question_delete_by_reader(question=question)
            return render(request, "questions/deleted.html", page)
        return render(request, "questions/delete_confirm.html", {**page, "question": question, "token": token})


# Staff pages ----------------------------------------------------------------------------


# The triage list opens on the questions that need an editor's decision.
DEFAULT_TAB = Question.Status.NEW
ALL_TAB = "all"


@editor_required
@require_safe
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    callout = get_callout_for_editor(request, pk)
    # Read before the list, so a change made while the page renders shows as a change later.
    live = _live_context(callout)
    search = request.GET.get("q", "").strip()[:200]
    meaning = request.GET.get("meaning") == "1"
    group_id = _int_or_none(request.GET.get("group"))
    language = _language_filter(request)
    status = request.GET.get("status", "")
    if status not in {*Question.Status.values, ALL_TAB}:
        # A search, one group or one language looks through every state unless a tab was chosen.
        status = ALL_TAB if (search or group_id or language) else DEFAULT_TAB
    by_groups = request.GET.get("view") == "groups" and not (search or group_id)
    group = QuestionGroup.objects.filter(callout=callout, pk=group_id).first() if group_id else None
    counts = group_state_counts(group=group) if group else triage_counts(callout=callout)
    context: dict[str, object] = {
        "callout": callout,
        "counts": counts,
        # "All" lists every state but spam (spam has its own tab), and counts what it lists.
        "total": sum(counts.values()) - counts.get(Question.Status.SPAM, 0),
        "status": status,
        "all_tab": ALL_TAB,
        "search": search,
        "statuses": Question.Status.choices,
        "experts": experts_of(callout.story.newsroom_id),
        "by_groups": by_groups,
        "group": group,
        **live,
        "callout_language": callout_language(callout),
        "languages": question_languages(),
        "language": language,
    }
    if by_groups:
        theme = _int_or_none(request.GET.get("theme"))
        context["theme"] = Theme.objects.filter(callout=callout, pk=theme).first() if theme else None
        context["themes"] = themes_for_filter(callout=callout)
        if context["theme"] is not None:
            context["page"] = triage_groups_page(
                callout=callout,
                page=request.GET.get("page", 1),
                per_page=settings.ASKDESK_TRIAGE_PAGE_SIZE,
                theme=theme,
            )
        else:
            context["page"] = triage_themes_page(callout=callout, page=request.GET.get("page", 1))
            context["unthemed"] = groups_without_theme(callout=callout)
        shown = _shown_groups(context)
        groups_with_joined(shown)  # readers who joined each group without writing, in one query
        _mark_above(context)
        prepare_group_rows(
            shown,
            themes=context["themes"],  # type: ignore[arg-type]
            callout_language=str(context["callout_language"]),
        )
        context["ungrouped"] = ungrouped_count(callout=callout)
        return render(request, "questions/triage_groups.html", context)
    # Questions flagged as welfare or urgent are listed first, above the list (all of them with ?welfare=1).
    everything = request.GET.get("welfare") == "1"
    context["welfare"], context["welfare_more"] = welfare_questions(
        callout=callout, limit=WELFARE_ALL if everything else WELFARE_SHOWN
    )
    # Search by meaning: the questions closest to the editor's words, best first (analysis.meaning).
    ranked = questions_by_meaning(callout_id=callout.pk, text=search) if search and meaning else None
    context["meaning"] = ranked is not None
    context["meaning_off"] = bool(search) and meaning and ranked is None
    listed: dict[str, Any] = {
        "callout": callout,
        "status": "" if status == ALL_TAB else status,
        "group": group.pk if group else group_id,
        "page": request.GET.get("page", 1),
        "per_page": settings.ASKDESK_TRIAGE_PAGE_SIZE,
        "language": language,
    }
    if ranked is not None:
        page = triage_page_ranked(ranked=ranked, **listed)
    else:
        # The group's counts for its list.
        page = triage_page(search=search, counts=counts if group or not group_id else None, **listed)
    context["page"] = page
    context["filters"] = filters = _filters(
        status=status, search=search, group=group, language=language, meaning=bool(context["meaning"])
    )
    context["rows"] = triage_rows(
        list(page.object_list),
        list_path=request.get_full_path(),
        filters=filters,
        callout_language=str(context["callout_language"]),
    )
    context["csrf_input"] = csrf_input(request)  # one hidden field for the rows' forms, not a tag per form
    last = _undoable(request, callout.pk)
    if last is not None:
        context["undo"] = {"action": action_done(last["action"]), "count": len(last["previous"])}
    return render(request, "questions/triage.html", context)


def _live_context(callout: Callout) -> dict[str, object]:
    """What an open triage page needs to poll for changes (askdesk/js/desk-live.js)."""
    if settings.ASKDESK_DESK_POLL_SECONDS <= 0:
        return {}
    version = desk_version(callout_id=callout.pk)
    return {
        "live_url": reverse("questions:triage_live", args=[callout.pk]),
        "live_version": version,
        "live_etag": _desk_etag(callout.pk, version.changes),
        "live_seconds": settings.ASKDESK_DESK_POLL_SECONDS,
    }


def _desk_etag(callout_id: int, changes: int) -> str:
    return f'"desk-{callout_id}-{changes}"'


@editor_required
@require_safe
def triage_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The version of a call-out's triage, polled by open triage pages.

    ``If-None-Match`` with the current version is answered 304 after reading a few counter rows;
    otherwise the version, the questions that arrived in all, and the state counts.
    """
    callout = get_callout_for_editor(request, pk)
    version = desk_version(callout_id=callout.pk)
    etag = _desk_etag(callout.pk, version.changes)
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = JsonResponse(
            {"version": version.changes, "arrivals": version.arrivals, "counts": triage_counts(callout=callout)}
        )
    response["ETag"] = etag
    return response


def _filters(
    *, status: str, search: str, group: QuestionGroup | None, language: str = "", meaning: bool = False
) -> str:
    """The list's query string without the page, for tabs, pages and "back to the list" links."""

    params = {
        "status": status,
        "q": search,
        "group": group.pk if group else "",
        "language": language,
        "meaning": "1" if meaning else "",
    }
    return urlencode({key: value for key, value in params.items() if value})


def _shown_groups(context: dict[str, object]) -> list[QuestionGroup]:
    """Every group the groups view shows: one theme's page, or each theme's groups and those without one."""
    page = context["page"]
    if context.get("theme") is not None:
        return list(page.object_list)  # type: ignore[attr-defined]
    groups: list[QuestionGroup] = [g for theme in page.object_list for g in theme.theme_groups]  # type: ignore[attr-defined]
    groups += list(context.get("unthemed") or [])  # type: ignore[call-overload]
    return groups


def _language_filter(request: HttpRequest) -> str:
    """The language the triage list is filtered by ("" for any): one the worker can tell."""
    code = request.GET.get("language", "")
    return code if code in dict(question_languages()) else ""


def _mark_above(context: dict[str, object]) -> None:
    """Give each shown group ``above``: the group before it in the same list, which it can be merged into."""
    page = context["page"]
    if context.get("theme") is not None:
        lists = [list(page.object_list)]  # type: ignore[attr-defined]
    else:
        lists = [theme.theme_groups for theme in page.object_list]  # type: ignore[attr-defined]
        lists.append(list(context.get("unthemed") or []))  # type: ignore[call-overload]
    for groups in lists:
        for above, group in zip([None, *groups], groups, strict=False):
            group.above = above


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@editor_required
@require_POST
def group_action(request: HttpRequest, pk: int) -> HttpResponse:
    callout = get_callout_for_editor(request, pk)
    groups = QuestionGroup.objects.filter(callout=callout)
    back = reverse("questions:triage", args=[callout.pk]) + "?view=groups"
    try:
        if "merge_into" in request.POST:
            # "Merge into the group above" (a button on each row but the first of its list, and `m`).
            merged_id, _, above_id = request.POST["merge_into"].partition(":")
            group = get_object_or_404(groups, pk=_int_or_none(merged_id) or 0)
            above = get_object_or_404(groups, pk=_int_or_none(above_id) or 0)
            target = services.group_merge(target=above, others=[group], actor=request.user)
            messages.success(request, f"Merged into the group above: {target.size} readers now in one group.")
            return redirect(back + f"#g-{target.pk}")
        if "merge" in request.POST:
            chosen = list(groups.filter(pk__in=[g for g in request.POST.getlist("selected") if g.isdigit()]))
            chosen.sort(key=lambda g: (-g.size, g.pk))
            if len(chosen) < 2:
                raise services.QuestionRefused("Tick at least two groups to merge.")
            target = services.group_merge(target=chosen[0], others=chosen[1:], actor=request.user)
            messages.success(request, f"Merged {len(chosen)} groups: {target.size} readers now in one group.")
        else:
            action, _, raw_id = request.POST.get("group_action", "").partition(":")
            group = get_object_or_404(groups, pk=_int_or_none(raw_id) or 0)
            expert = None
            if action == "assign":
                chosen_expert = _int_or_none(request.POST.get(f"expert_{group.pk}")) or 0
                expert = experts_of(callout.story.newsroom_id).filter(pk=chosen_expert).first()
            if action not in {*services.TRANSITIONS, "assign", "theme"}:
                raise services.QuestionRefused("Unknown action.")
            if action == "theme":
                raw_theme = request.POST.get(f"theme_{group.pk}", "")
                theme = (
                    None
                    if raw_theme == "new"
                    else get_object_or_404(Theme, callout=callout, pk=_int_or_none(raw_theme) or 0)
                )
                services.group_move_to_theme(group=group, theme=theme, actor=request.user)
                messages.success(request, "Group moved to another theme.")
                return redirect(back)
            done, skipped = services.group_apply(group=group, action=action, actor=request.user, expert=expert)
            note = f" ({skipped} left as they were)" if skipped else ""
            messages.success(request, f"{done} question{'s' if done != 1 else ''} {action_done(action)}{note}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)


# How long the last list action can be undone.
UNDO_SECONDS = 120
UNDO_KEY = "askdesk_undo"


def _remember_for_undo(request: HttpRequest, callout_id: int, action: str, previous: dict[int, str]) -> None:
    """Keep what the last action changed, in the editor's session, so it can be undone for a short while."""
    if action not in services.TRANSITIONS or not previous:
        request.session.pop(UNDO_KEY, None)
        return
    request.session[UNDO_KEY] = {
        "callout": callout_id,
        "action": action,
        "previous": {str(pk): status for pk, status in previous.items()},
        "at": timezone.now().timestamp(),
    }


def _undoable(request: HttpRequest, callout_id: int) -> dict[str, Any] | None:
    last = request.session.get(UNDO_KEY)
    if not last or last.get("callout") != callout_id or timezone.now().timestamp() - last["at"] > UNDO_SECONDS:
        return None
    return last  # type: ignore[no-any-return]


@editor_required
@require_POST
def undo_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the editor's last shortlist, reject, spam or restore in this call-out's list, if recent."""
    callout = get_callout_for_editor(request, pk)
    last = _undoable(request, callout.pk)
    if last is None:
        messages.error(request, "There is nothing to undo any more.")
    else:
        previous = {int(key): status for key, status in last["previous"].items()}
        undone = services.questions_undo(callout=callout, action=last["action"], previous=previous, actor=request.user)
        request.session.pop(UNDO_KEY, None)
        messages.success(request, f"Undone: {undone} question{'s' if undone != 1 else ''} back as before.")
    target = request.POST.get("next", "")
    if target.startswith("/desk/") and "//" not in target:
        return redirect(target)
    return redirect("questions:triage", pk=callout.pk)


@editor_required
@require_POST
def bulk_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The ticked questions of the list, shortlisted, rejected, marked as spam or assigned in one request."""
    callout = get_callout_for_editor(request, pk)
    action = request.POST.get("bulk_action", "")
    chosen = [int(value) for value in request.POST.getlist("selected") if value.isdigit()]
    expert = experts_of(callout.story.newsroom_id).filter(pk=_int_or_none(request.POST.get("expert")) or 0).first()
    previous = dict(Question.objects.filter(callout=callout, pk__in=chosen).values_list("pk", "status"))
    try:
        done, skipped = services.questions_apply(
            callout=callout, question_ids=chosen, action=action, actor=request.user, expert=expert
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        note = f" ({skipped} left as they were)" if skipped else ""
        messages.success(request, f"{done} question{'s' if done != 1 else ''} {action_done(action)}{note}.")
        _remember_for_undo(request, callout.pk, action, previous)
    target = request.POST.get("next", "")
    if target.startswith("/desk/") and "//" not in target:
        return redirect(target)
    return redirect("questions:triage", pk=callout.pk)


def action_done(action: str) -> str:
    return "assigned" if action == "assign" else services.action_label(action)


@staff_required
@require_safe
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_staff(request, pk)
    evidence, found = question_evidence(question=question)
    editor = is_editor(request.user)
    previous = following = None
    filters = ""
    if editor:
        status = request.GET.get("status", "")
        status = status if status in {*Question.Status.values, ALL_TAB} else DEFAULT_TAB
        search = request.GET.get("q", "").strip()[:200]
        group = QuestionGroup.objects.filter(
            callout_id=question.callout_id, pk=_int_or_none(request.GET.get("group")) or 0
        ).first()
        language = _language_filter(request)
        meaning = request.GET.get("meaning") == "1" and bool(search)
        ranked = questions_by_meaning(callout_id=question.callout_id, text=search) if meaning else None
        if ranked is not None:
            previous, following = neighbours_in_ranking(
                question=question,
                ranked=ranked,
                status="" if status == ALL_TAB else status,
                group=group.pk if group else None,
                language=language,
            )
        else:
            previous, following = neighbours_in_list(
                question=question,
                status="" if status == ALL_TAB else status,
                search=search,
                group=group.pk if group else None,
                language=language,
            )
        filters = _filters(status=status, search=search, group=group, language=language, meaning=ranked is not None)
    return render(
        request,
        "questions/detail.html",
        {
            "previous_question": previous,
            "next_question": following,
            "filters": filters,
            "question": question,
            "callout_language": callout_language(question.callout),
            "answer": getattr(question, "answer", None),
            "experts": experts_of(question.callout.story.newsroom_id),
            "paragraphs": story_paragraphs(story=question.callout.story),
            "evidence": evidence,
            "evidence_sentences": found,
            "highlight": evidence.keys if evidence else [],
            "move_targets": groups_for_moving(question=question) if editor else [],
            "audit": question_history(question),
            # The reader's byline and consent are for editors, who decide on publication.
            "byline_preview": byline_for(question) if editor else "",
            "can_reveal_contacts": can_reveal_contacts(request.user),
            "cover_declined_count": question.cover_declined.count()
            if question.status == Question.Status.PUBLISHED
            else 0,
        },
    )


def _back(request: HttpRequest, question: Question) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/desk/") and "//" not in target:
        return redirect(target)
    return redirect("questions:detail", pk=question.pk)


@editor_required
@require_POST
def question_action(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_staff(request, pk)
    action = request.POST.get("action", "")
    try:
        if action in services.TRANSITIONS:
            previous = question.status
            services.question_transition(question=question, action=action, actor=request.user)
            _remember_for_undo(request, question.callout_id, action, {question.pk: previous})
            messages.success(request, f"Question {services.action_label(action)}.")
        elif action == "assign":
            experts = experts_of(question.callout.story.newsroom_id)
            expert = get_object_or_404(experts, pk=_int_or_none(request.POST.get("expert")) or 0)
            services.question_assign(question=question, expert=expert, actor=request.user)
            messages.success(request, f"Question assigned to {expert.name}.")
        elif action == "move":
            target_id = request.POST.get("group", "")
            target = None
            if target_id != "new":
                target = get_object_or_404(QuestionGroup, pk=_int_or_none(target_id) or 0, callout=question.callout)
            services.question_move(question=question, target=target, actor=request.user)
            messages.success(request, "Question moved to a new group." if target is None else "Question moved.")
        elif action in {"welfare_flag", "welfare_clear"}:
            flagged = action == "welfare_flag"
            services.question_set_welfare(question=question, flagged=flagged, actor=request.user)
            messages.success(
                request,
                "Flagged as welfare or urgent: it will not be published or covered by another answer."
                if flagged
                else "Welfare flag cleared.",
            )
        elif action == "redact":
            services.question_redact_contact_details(question=question, actor=request.user)
            messages.success(request, "Contact details removed from the wording for publication.")
        elif action == "edit_wording":
            services.question_edit_wording(
                question=question, public_text=request.POST.get("public_text", ""), actor=request.user
            )
            messages.success(request, "Wording for publication saved. The reader's original is kept.")
        else:
            messages.error(request, "Unknown action.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, question)
