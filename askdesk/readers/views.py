from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from askdesk.accounts.access import editor_required, experts_of
from askdesk.callouts.access import get_callout_for_editor
from askdesk.newsrooms.language import reader_language
from askdesk.newsrooms.models import LegalDocument, Newsroom
from askdesk.newsrooms.selectors import legal_document_current
from askdesk.ops.errors import reader_page
from askdesk.ops.limits import client_address, limit_exceeded, too_many_requests
from askdesk.questions.access import get_question_for_staff
from askdesk.questions.formtoken import form_token, form_token_valid, post_origin_refused
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.selectors import reader_answer
from askdesk.readers import selectors, services, voting
from askdesk.readers.forms import AlertSettingsForm, AlsoAskedForm, RoundForm, VoteForm, round_option_rows
from askdesk.readers.models import RoundOption, VotingRound

logger = logging.getLogger(__name__)

# One random id per browser, in a signed HTTP-only cookie where the browser keeps askdesk's
# cookies: a reader votes once per round and joins a question once. Only hashes of it are stored.
READER_COOKIE = "askdesk_reader"
READER_SALT = "askdesk.readers.reader"
# Inside a newsroom's page third-party cookies are blocked: askdesk/js/reader-key.js sends a
# random key kept in the browser's (partitioned) storage instead.
READER_KEY = re.compile(r"[0-9a-f]{48}")

# Public pages ---------------------------------------------------------------------------
# Votes and "I want to know too" are shown on cached public pages and inside newsrooms' pages,
# so, like the question form, they are protected without a cookie: the call-out's signed form
# token and the Origin / Sec-Fetch-Site checks (questions/formtoken.py, docs/security.md).


def also_ask_form() -> AlsoAskedForm:
    """An "I want to know too" form (for pages of other apps that show a similar question)."""
    return AlsoAskedForm()


def _legal(question: Question) -> dict[str, object]:
    newsroom = question.callout.story.newsroom
    return {
        "terms": legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.TERMS),
        "privacy": legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.PRIVACY),
    }


def _forged(request: HttpRequest, newsroom: Newsroom, *, embed: bool) -> HttpResponse | None:
    """The refusal of a post another site's page made the reader's browser send, else None."""
    refused = post_origin_refused(request, allowed_origins=newsroom.allowed_origins)
    if not refused:
        return None
    logger.warning("Reader form refused: %s", refused)
    return reader_page(request, "readers/refused.html", {}, newsroom=newsroom, status=403, embed=embed)


@csrf_exempt  # see "Public pages" above
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("email")
def also_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Join a question already asked instead of writing it again.

    A GET is the page that links to a similar question lead to (the ask-time suggestions):
    the question, "N readers asked this" and the form, the same for every reader.
    """
    embed = request.GET.get("embed") == "1"
    if request.method == "GET":
        joinable = selectors.joinable_question(pk=pk)
        if joinable is None:
            raise Http404("This question cannot be joined.")
        return _also_ask_page(request, joinable, also_ask_form(), status=200, embed=embed)
    question = get_object_or_404(Question.objects.select_related("callout__story__newsroom", "group"), pk=pk)
    newsroom = _newsroom(question)
    refused = _forged(request, newsroom, embed=embed)
    if refused is not None:
        return refused
    if limit_exceeded(request, "also_asked_client"):
        return too_many_requests(request)
    language = reader_language(request, default=newsroom.language)
    form = AlsoAskedForm(request.POST, callout_id=question.callout_id)
    reader_id = _reader_id(request) or _browser_key(request) or secrets.token_urlsafe(24)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _, token, created = services.also_asked_join(
                question=question,
                reader_id=reader_id,
                consent=data["consent"],
                email=data["email"],
                language=language,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not created:
                response = reader_page(
                    request, "readers/joined_again.html", {"question": question}, newsroom=newsroom, embed=embed
                )
            else:
                where = f"?submitted=1&lang={language}" + ("&embed=1" if embed else "")
                response = redirect(reverse("readers:joined", args=[token]) + where)
            return _with_reader_cookie(response, reader_id)
    return _also_ask_page(request, question, form, status=400, embed=embed)


def _also_ask_page(
    request: HttpRequest, question: Question, form: AlsoAskedForm, *, status: int, embed: bool
) -> HttpResponse:
    context = {
        "question": question,
        # A refused join (say, of a question rejected meanwhile) does not show its words.
        "wording_shown": selectors.wording_shown_to_join(question),
        "also_form": form,
        "asked": selectors.readers_asking(question=question),
        "form_token": form_token(callout_id=question.callout_id),
    }
    return reader_page(
        request,
        "readers/also_ask.html",
        context | _legal(question),
        newsroom=_newsroom(question),
        status=status,
        embed=embed,
    )


def joined_status(request: HttpRequest, token: str) -> HttpResponse:
    joined = selectors.also_asked_by_token(token=token)
    if joined is None:
        raise Http404("This link does not lead to a question. It may have been deleted.")
    question = joined.question
    return reader_page(
        request,
        "readers/joined.html",
        {
            "joined": joined,
            "question": question,
            "private_url": request.build_absolute_uri(reverse("readers:joined", args=[token])),
            "token": token,
            "just_submitted": request.GET.get("submitted") == "1",
            "answer": reader_answer(question=question),
            "asked": selectors.readers_asking(question=question),
            "public_url": reverse("answers:public", args=[question.callout.slug]),
        },
        newsroom=_newsroom(question),
        embed=request.GET.get("embed") == "1",
    )


@require_http_methods(["GET", "POST"])
def joined_delete(request: HttpRequest, token: str) -> HttpResponse:
    joined = selectors.also_asked_by_token(token=token)
    if joined is None:
        raise Http404("This link does not lead to a question. It may have been deleted.")
    newsroom = _newsroom(joined.question)
    if request.method == "POST":
        story = joined.question.callout.story
        services.also_asked_delete_by_reader(also_asked=joined)
        return reader_page(request, "questions/deleted.html", {"story": story}, newsroom=newsroom)
    return reader_page(request, "readers/joined_delete.html", {"joined": joined, "token": token}, newsroom=newsroom)


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token. A GET only shows
# the form, because mail scanners open links.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    digest = services.digest_from_unsubscribe_token(token)
    if digest is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        services.reader_unsubscribe(email_digest=digest)
        return reader_page(request, "readers/unsubscribed.html", {})
    return reader_page(request, "readers/unsubscribe.html", {"token": token})


def _newsroom(question: Question) -> Newsroom:
    return question.callout.story.newsroom


def _reader_id(request: HttpRequest) -> str | None:
    value = request.get_signed_cookie(READER_COOKIE, default=None, salt=READER_SALT)
    return value if isinstance(value, str) and value else None


def _browser_key(request: HttpRequest) -> str | None:
    """The key askdesk/js/reader-key.js keeps in the browser, where cookies are blocked."""
    key = request.POST.get("reader_key", "")
    return f"key:{key}" if READER_KEY.fullmatch(key) else None


def _with_reader_cookie(response: HttpResponse, reader_id: str) -> HttpResponse:
    # Where third-party cookies are blocked (inside a newsroom's page) the browser drops it.
    response.set_signed_cookie(
        READER_COOKIE,
        reader_id,
        salt=READER_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = get_object_or_404(VotingRound.objects.select_related("callout__story__newsroom", "winner"), pk=pk)
    options = list(RoundOption.objects.filter(round=voting_round))
    return reader_page(
        request,
        "readers/round.html",
        {
            "round": voting_round,
            "form": VoteForm(options=options),
            "form_token": form_token(callout_id=voting_round.callout_id),
            "results": selectors.round_results(voting_round=voting_round),
            "voted": request.GET.get("voted", ""),
        },
        newsroom=voting_round.callout.story.newsroom,
    )


def _back(request: HttpRequest, voting_round: VotingRound) -> str:
    """The page the reader voted on (a path of this site only), else the round's page."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    lang = request.GET.get("lang", "")
    return reverse("readers:round", args=[voting_round.pk]) + (f"?{urlencode({'lang': lang})}" if lang else "")


@csrf_exempt  # see "Public pages" above
@require_POST
@sensitive_post_parameters("email")
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = get_object_or_404(VotingRound.objects.select_related("callout__story__newsroom"), pk=pk)
    newsroom = voting_round.callout.story.newsroom
    refused = _forged(request, newsroom, embed=request.POST.get("next", "").startswith("/embed/"))
    if refused is not None:
        return refused
    if limit_exceeded(request, "vote_client"):
        return too_many_requests(request)
    options = list(RoundOption.objects.filter(round=voting_round))
    form = VoteForm(request.POST, options=options)
    fingerprint = voting.vote_fingerprint(
        address=client_address(request), user_agent=request.headers.get("user-agent", "")
    )
    # Without a cookie or a browser key, the address and browser stand for the reader (one vote a day).
    voter_id = _reader_id(request) or _browser_key(request) or f"fp:{fingerprint}"
    if not form_token_valid(request.POST.get("form_token", ""), callout_id=voting_round.callout_id):
        outcome = "expired"
    elif not form.is_valid():
        outcome = "no"
    else:
        option = next(o for o in options if o.pk == form.cleaned_data["option"])
        try:
            counted = voting.vote_cast(
                voting_round=voting_round,
                option=option,
                voter_id=voter_id,
                fingerprint=fingerprint,
                email=form.cleaned_data["email"],
                language=reader_language(request, default=newsroom.language),
            )
        except ValidationError:
            outcome = "closed"
        else:
            outcome = "yes" if counted else "already"
    back = _back(request, voting_round)
    separator = "&" if "?" in back else "?"
    return _with_reader_cookie(redirect(f"{back}{separator}voted={outcome}#round-{voting_round.pk}"), voter_id)


@never_cache
def round_results(request: HttpRequest, pk: int) -> JsonResponse:
    """Live results, polled by the round page, the story page and the desk."""
    voting_round = get_object_or_404(VotingRound, pk=pk)
    return JsonResponse(selectors.round_results_json(voting_round=voting_round))


# Desk -------------------------------------------------------------------------------------


@editor_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    callout = get_callout_for_editor(request, pk)
    groups = list(
        QuestionGroup.objects.filter(callout=callout, size__gt=0)
        .select_related("representative")
        .order_by("-size", "id")[:30]
    )
    experts = list(experts_of(callout.story.newsroom_id))
    form = RoundForm(request.POST or None, initial={"closes_at": timezone.localtime() + timedelta(days=1)})
    error = ""
    if request.method == "POST" and form.is_valid():
        chosen = round_option_rows(request.POST, groups, experts)
        closes_at: datetime = form.cleaned_data["closes_at"]
        try:
            created = voting.round_create(
                callout=callout,
                title=form.cleaned_data["title"],
                closes_at=closes_at,
                options=[voting.OptionChoice(group, label, expert) for group, label, expert in chosen],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Voting round opened. Readers can vote on the story page and the round page.")
            return redirect("readers:round_desk", pk=created.pk)
    return render(
        request,
        "readers/round_new.html",
        {
            "callout": callout,
            "groups": groups,
            "experts": experts,
            "form": form,
            "error": error,
            "rounds": selectors.rounds_of(callout=callout),
        },
        status=400 if error or form.errors else 200,
    )


@editor_required
@require_http_methods(["GET", "POST"])
def round_desk(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = get_object_or_404(VotingRound.objects.select_related("callout__story", "winner"), pk=pk)
    get_callout_for_editor(request, voting_round.callout_id)
    if request.method == "POST" and request.POST.get("action") == "close":
        voting.round_close(voting_round=voting_round, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, "Voting round closed.")
        return redirect("readers:round_desk", pk=voting_round.pk)
    return render(
        request,
        "readers/round_desk.html",
        {"round": voting_round, "results": selectors.round_results(voting_round=voting_round)},
    )


@editor_required
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    user = request.user
    choice = services.alert_settings_for(user)  # type: ignore[arg-type]
    form = AlertSettingsForm(request.POST or None, instance=choice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.alert_settings_save(user=user, **data)  # type: ignore[arg-type]
        messages.success(request, "Alert settings saved.")
        return redirect("readers:alerts")
    found = selectors.alerts_for(user=user)  # type: ignore[arg-type]
    unseen = {alert.pk for alert in found if alert.seen_at is None}
    services.editor_alerts_seen(user=user)  # type: ignore[arg-type]
    return render(request, "readers/alerts.html", {"alerts": found, "unseen": unseen, "form": form})


@editor_required
@require_http_methods(["GET", "POST"])
def private_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor's private reply by email to the reader of a question flagged as welfare or urgent."""
    question = get_question_for_staff(request, pk)
    body = request.POST.get("body", "") if request.method == "POST" else ""
    error = ""
    if request.method == "POST":
        try:
            services.reader_private_reply(question=question, body=body, actor=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, "Your reply is on its way to the reader by email. It is not published.")
            return redirect("questions:detail", pk=question.pk)
    return render(
        request,
        "readers/private_reply.html",
        {"question": question, "body": body, "error": error},
        status=400 if error else 200,
    )
