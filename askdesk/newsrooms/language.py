"""The language of a reader's page: asked for in the address, else the browser's, else the newsroom's."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

RIGHT_TO_LEFT = {"fa", "ar"}


def supported() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def reader_language(request: HttpRequest, *, default: str) -> str:
    """``?lang=fa`` (an embed may set it), then ``Accept-Language``, then the newsroom's default."""
    asked = request.GET.get("lang", "")
    if asked in supported():
        return asked
    for code, _ in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return default if default in supported() else "en"


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"
