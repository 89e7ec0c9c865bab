"""A Content-Security-Policy for every page (Django 5.2 has none built in).

The interface uses only its own script and style files, so inline script, inline style, other
origins, plugins and framing are all refused; an injected tag in a sanitised e-mail could not run
even if it slipped through. The published report (inline chart script, no network) has its own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
