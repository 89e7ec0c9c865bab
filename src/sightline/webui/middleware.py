"""A Content-Security-Policy for every page (Django 5.2 has none built in), and one place where
an error Sightline explains becomes a page that says so.

The interface uses only its own script and style files, so inline script, inline style, other
origins, plugins and framing are all refused; an injected tag in a sanitised e-mail could not run
even if it slipped through. The published report (inline chart script, no network) has its own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from sightline.errors import SightlineError

APP_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
REPORT_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'none'; form-action 'none'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", APP_POLICY)
        return response


class SightlineErrorMiddleware:
    """Any :class:`SightlineError` a view lets through is shown as its message on a page of its
    own (status 400), never as a server error: the web's one catch of the core's errors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SightlineError):
            return None
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = ""  # only ever link back into this site
        context = {"problem": exception.message, "back": back}
        return render(request, "webui/problem.html", context, status=400)
