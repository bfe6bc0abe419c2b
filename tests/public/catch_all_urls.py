"""One view behind every address: a test tells what was answered before any address was resolved."""

from django.http import HttpRequest, HttpResponse
from django.urls import re_path


def resolved(request: HttpRequest) -> HttpResponse:
    return HttpResponse("resolved", content_type="text/plain")


urlpatterns = [re_path(r"", resolved)]
