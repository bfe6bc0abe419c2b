"""Public pages, embeds, oEmbed, the newsroom's theme: the same for every reader, served from the cache."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render as render_for_reader
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from askdesk.callouts.selectors import PublicState, callout_public_state, story_public_state
from askdesk.newsrooms.csp import public_csp
from askdesk.newsrooms.language import reader_language, text_direction
from askdesk.newsrooms.models import Newsroom
from askdesk.public.pagecache import Rendered, cache_control, serve
from askdesk.public.selectors import answers_context, callout_with_counts
from askdesk.public.snippets import EMBED_HEIGHT, embed_snippet, site_of
from askdesk.questions.forms import QuestionForm, shown_now
from askdesk.questions.views import ask_on_page, story_page_context
from askdesk.stories.models import Story


def _render(template: str, context: dict[str, object], *, frameable: bool = False) -> Rendered:
    # No request: nothing per reader (session, cookie, CSRF token) can reach a shared page.
    newsroom = context["newsroom"]
    assert isinstance(newsroom, Newsroom)
    language = translation.get_language()
    context = {
        **context,
        "lang": language,
        "dir": text_direction(language),
        # Readers' small forms here (votes, "I want to know too") carry the call-out's signed form
        # token, the same for every reader, instead of a CSRF cookie (docs/security.md).
        "request": SimpleNamespace(path=str(context.get("page_path", "")), GET={}),
    }
    form = context.get("form")
    return Rendered(
        body=render_to_string(template, context).encode(),
        headers={"Content-Security-Policy": public_csp(newsroom, frameable=frameable)},
        frameable=frameable,
        reader_form=form.callout.pk if isinstance(form, QuestionForm) else None,
    )


def _story_context(request: HttpRequest, state: PublicState) -> dict[str, object]:
    callout = callout_with_counts(callout_id=state.callout_id)
    form = QuestionForm(callout=callout, shared=True) if callout.is_open else None
    context = story_page_context(story=callout.story, callout=callout, form=form, site=site_of(request))
    context["version"] = state.version
    return context


# The reader form posts to its own page (questions.views.ask_on_page): checked by its signed form
# token and Origin, not Django's CSRF cookie. A POST never reaches the cache.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def story_page(request: HttpRequest, slug: str) -> HttpResponse:
    state = story_public_state(story_slug=slug)
    if request.method == "POST":
        if state is None:
            raise Http404("This story takes no questions.")
        return ask_on_page(request, callout_id=state.callout_id, embed=False)
    if state is None:  # a story without a call-out: nothing to cache it by, and rare
        story = get_object_or_404(Story.objects.select_related("newsroom"), slug=slug)
        context = story_page_context(story=story, callout=None, form=None, site=site_of(request))
        with translation.override(reader_language(request, default=story.newsroom.language)):
            rendered = _render("questions/story.html", context)
        return HttpResponse(rendered.body, headers=rendered.headers)

    if request.GET.get("voted"):  # a reader back from voting sees their own confirmation
        return _for_this_reader(request, state, "questions/story.html", _story_context(request, state))

    def render() -> Rendered:
        context = _story_context(request, state)
        context.update(page_url=site_of(request) + request.path, page_path=request.path)
        return _render("questions/story.html", context)

    return serve(request, kind="story", state=state, render=render)


def _for_this_reader(
    request: HttpRequest, state: PublicState, template: str, context: dict[str, object], *, frameable: bool = False
) -> HttpResponse:
    """A public page with something for one reader on it: rendered for them, never cached."""
    language = reader_language(request, default=state.language)
    with translation.override(language):
        newsroom = context["newsroom"]
        assert isinstance(newsroom, Newsroom)
        response = render_for_reader(request, template, {**context, "lang": language, "dir": text_direction(language)})
    response.content = shown_now(response.content, callout_id=state.callout_id)
    response["Content-Security-Policy"] = public_csp(newsroom, frameable=frameable)
    response["Cache-Control"] = "private, no-cache"
    if frameable:
        response.xframe_options_exempt = True
    return response


def _callout_state(slug: str) -> PublicState:
    state = callout_public_state(slug=slug)
    if state is None:
        raise Http404("No such call-out.")
    return state


def _answers_context(request: HttpRequest, state: PublicState) -> dict[str, object]:
    callout = callout_with_counts(callout_id=state.callout_id)
    return {
        "callout": callout,
        "story": callout.story,
        "newsroom": callout.story.newsroom,
        "site": site_of(request),
        "version": state.version,
        "live_seconds": settings.ASKDESK_LIVE_POLL_SECONDS,
        **answers_context(callout=callout),
    }


@require_safe
def answers_page(request: HttpRequest, callout_slug: str) -> HttpResponse:
    state = _callout_state(callout_slug)

    if request.GET.get("voted"):
        return _for_this_reader(request, state, "answers/public.html", _answers_context(request, state))

    def render() -> Rendered:
        context = _answers_context(request, state)
        context.update(page_url=site_of(request) + request.path, page_path=request.path)
        return _render("answers/public.html", context)

    return serve(request, kind="answers", state=state, render=render)


@require_safe
def answers_live(request: HttpRequest, callout_slug: str) -> HttpResponse:
    """The answers list alone, polled by open answers pages and embeds (askdesk/live.js)."""
    state = _callout_state(callout_slug)
    return serve(
        request,
        kind="live",
        state=state,
        render=lambda: _render("public/_answers.html", _answers_context(request, state), frameable=True),
    )


def _embed(
    request: HttpRequest, state: PublicState, *, kind: str, template: str, context: Callable[[], dict[str, object]]
) -> HttpResponse:
    """An embed: cached like the pages; a reader back from voting in it sees their confirmation."""
    if request.GET.get("voted"):
        page = {**context(), "embed": True}
        return _for_this_reader(request, state, template, page, frameable=True)

    def render() -> Rendered:
        page = {**context(), "embed": True, "page_path": request.path}
        return _render(template, page, frameable=True)

    return serve(request, kind=kind, state=state, render=render)


@csrf_exempt  # as story_page
@require_http_methods(["GET", "HEAD", "POST"])
def embed_form(request: HttpRequest, callout_slug: str) -> HttpResponse:
    state = _callout_state(callout_slug)
    if request.method == "POST":
        return ask_on_page(request, callout_id=state.callout_id, embed=True)
    return _embed(
        request,
        state,
        kind="embed-form",
        template="public/embed_form.html",
        context=lambda: _story_context(request, state),
    )


@require_safe
def embed_answers(request: HttpRequest, callout_slug: str) -> HttpResponse:
    state = _callout_state(callout_slug)
    return _embed(
        request,
        state,
        kind="embed-answers",
        template="public/embed_answers.html",
        context=lambda: _answers_context(request, state),
    )


@require_safe
def oembed(request: HttpRequest) -> JsonResponse:
    """oEmbed (https://oembed.com) for story and answers pages: a rich embed of the form or the answers."""
    url = request.GET.get("url", "")
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": "Only the json format is offered."}, status=501)
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        raise Http404("askdesk has no embed for this address.") from None
    if match.view_name == "questions:story":
        state = story_public_state(story_slug=match.kwargs["slug"])
        what = "form"
    elif match.view_name == "answers:public":
        state = callout_public_state(slug=match.kwargs["callout_slug"])
        what = "answers"
    else:
        raise Http404("askdesk has no embed for this address.")
    if state is None:
        raise Http404("No call-out here.")
    callout = callout_with_counts(callout_id=state.callout_id)
    newsroom = callout.story.newsroom
    site = site_of(request)
    width = _dimension(request.GET.get("maxwidth"), 640)
    height = min(EMBED_HEIGHT[what], _dimension(request.GET.get("maxheight"), EMBED_HEIGHT[what]))
    html = embed_snippet(site=site, callout_slug=callout.slug, what=what, title=callout.prompt)
    response = JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": callout.prompt,
            "provider_name": newsroom.name,
            "provider_url": newsroom.home_url or site + "/",
            "html": html.replace(f'height="{EMBED_HEIGHT[what]}"', f'height="{height}"'),
            "width": width,
            "height": height,
            "cache_age": settings.ASKDESK_PUBLIC_CACHE_SECONDS,
        }
    )
    response["Cache-Control"] = cache_control()
    return response


def _dimension(raw: str | None, default: int) -> int:
    return min(int(raw), default) if raw and raw.isdigit() and int(raw) > 0 else default


@require_safe
def theme_css(request: HttpRequest, newsroom_slug: str) -> HttpResponse:
    """The newsroom's colours and font, from validated fields only (no CSS of its own)."""
    newsroom = get_object_or_404(Newsroom, slug=newsroom_slug)
    css = (
        f":root {{ --accent: {newsroom.accent_colour}; --ink: {newsroom.text_colour}; "
        f"--bg: {newsroom.background_colour}; font-family: {newsroom.font_stack}; }}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = cache_control()
    return response
