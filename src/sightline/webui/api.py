"""The read-only JSON API (docs/api.md): campaigns, requests, their events and confirmed facts,
for a newsroom's own tools.

Every call carries a user's API token (``Authorization: Bearer TOKEN``, made on the API tokens
page) and acts as that user: the same permission as the pages (``view_campaigns``), nothing once
the account is deactivated or the token revoked. Lists come in pages. Errors are JSON too:
``{"error": "..."}`` with 400, 401, 403, 404 or 405.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, path, re_path, resolve, reverse
from django.views.decorators.csrf import csrf_exempt

from sightline.campaigns.models import Campaign, Request, RequestEvent
from sightline.campaigns.overview import state_counts
from sightline.errors import SightlineError
from sightline.review.models import FactEvidence, ReviewDecision, StoredFact
from sightline.webui import audit
from sightline.webui.models import ApiToken
from sightline.webui.roles import VIEW, perm, role_of
from sightline.webui.users import hashed

app_name = "api"

PER_PAGE = 100
PER_PAGE_MAX = 500
TOUCH_EVERY = dt.timedelta(minutes=1)  # how often a token's "last used" time is written
HOW_TO_SEND = (
    "send your API token as 'Authorization: Bearer TOKEN' (make one on the API tokens page)"
)
CONFIRMED = (StoredFact.Status.CONFIRMED, StoredFact.Status.CORRECTED)

View = Callable[..., dict[str, Any]]


class ApiProblem(SightlineError):
    """An API call Sightline refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def problem(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="sightline"'
    response["Cache-Control"] = "no-store"
    return response


def token_user(request: HttpRequest) -> Any:
    """The active user whose token the request carries, or an ApiProblem (401)."""
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiProblem(401, f"no API token: {HOW_TO_SEND}")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, f"the Authorization header is not a bearer token: {HOW_TO_SEND}")
    found = ApiToken.objects.select_related("user").filter(token_hash=hashed(token.strip())).first()
    if found is None:
        raise ApiProblem(401, "this API token is not known: check that it was copied whole")
    if found.revoked_at is not None:
        raise ApiProblem(401, "this API token has been revoked: make a new one")
    if not found.user.is_active:
        raise ApiProblem(401, "the account this API token belongs to is deactivated")
    moment = audit.now()
    if found.last_used_at is None or moment - found.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=moment)
    return found.user


def endpoint(view: View) -> Callable[..., HttpResponse]:
    """A GET that needs a token whose user may see campaigns; its dict becomes the JSON body."""

    @login_not_required
    @csrf_exempt
    @wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = problem(405, "the API only reads: use GET")
            response["Allow"] = "GET, HEAD"
            return response
        try:
            user = token_user(request)
            request.user = user
            if not user.has_perm(perm(VIEW)):
                raise ApiProblem(
                    403,
                    f"{user.get_username()}'s role ({role_of(user) or 'none'}) "
                    "may not see campaigns: ask an owner for a role",
                )
            body = view(request, *args, **kwargs)
        except ApiProblem as error:
            return problem(error.status, error.message)
        except Http404 as error:
            return problem(404, str(error) or "not found")
        except SightlineError as error:
            return problem(400, error.message)
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response

    return run


# Shapes -----------------------------------------------------------------------------------------


def _moment(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _url(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


def _campaign(request: HttpRequest, campaign: Campaign, size: int) -> dict[str, Any]:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "authority_set": campaign.authority_set,
        "law": campaign.law or None,
        "reference_prefix": campaign.reference_prefix,
        "created_at": _moment(campaign.created_at),
        "first_published_on": _day(campaign.first_published_on),
        "requests": size,
        "url": _url(request, "campaign", campaign.slug),
    }


def _request(request: HttpRequest, found: Request) -> dict[str, Any]:
    return {
        "reference": found.reference,
        "campaign": found.campaign.slug,
        "gss_code": found.authority.gss_code,
        "authority": found.authority.name,
        "law": found.law,
        "state": found.state,
        "state_is_guess": found.state_is_guess,
        "sent_at": _moment(found.sent_at),
        "received_on": _day(found.received_on),
        "due": _day(found.due),
        "extended": found.extended,
        "last_message_at": _moment(found.last_message_at),
        "url": _url(request, "request", found.reference),
    }


def _event(event: RequestEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "state": event.state or None,
        "guess": event.guess,
        "at": _moment(event.at),
        "actor": event.actor,
        "note": event.note,
        "data": event.data,
    }


def _fact(fact: StoredFact) -> dict[str, Any]:
    decisions = list(fact.decisions.all())
    last = decisions[-1] if decisions else None
    return {
        "id": fact.pk,
        "reference": fact.request.reference,
        "gss_code": fact.request.authority.gss_code,
        "authority": fact.request.authority.name,
        "field": fact.field,
        "vendor": fact.vendor or None,
        "value": fact.final_value,
        "extracted_value": fact.value,
        "status": fact.status,
        "rule": fact.rule,
        "confidence": fact.confidence,
        "document": fact.document,
        "message": fact.message_id,
        "evidence": [{"quote": e.quote, "location": e.location} for e in fact.evidence.all()],
        "decided_by": last.reviewer if last else None,
        "decided_at": _moment(last.at) if last else None,
    }


def _page(
    request: HttpRequest, items: QuerySet[Any], shape: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """One page of ``items``: ``?page=`` (from 1) and ``?per_page=`` (1 to 500, default 100)."""
    number = _whole(request, "page", 1)
    size = _whole(request, "per_page", PER_PAGE)
    if number < 1:
        raise ApiProblem(400, "page must be 1 or more")
    if not 1 <= size <= PER_PAGE_MAX:
        raise ApiProblem(400, f"per_page must be from 1 to {PER_PAGE_MAX}")
    paginator = Paginator(items, size)
    if number > paginator.num_pages:
        raise ApiProblem(404, f"there is no page {number}: the last is {paginator.num_pages}")
    page = paginator.page(number)

    def link(to: int) -> str:
        query = request.GET.copy()
        query["page"] = str(to)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "per_page": size,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
        "results": [shape(item) for item in page.object_list],
    }


def _whole(request: HttpRequest, name: str, default: int) -> int:
    text = request.GET.get(name, "")
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise ApiProblem(400, f"{name} must be a whole number, not {text[:20]!r}") from None


def _get_campaign(slug: str) -> Campaign:
    found = Campaign.objects.filter(slug=slug).first()
    if found is None:
        raise ApiProblem(404, f"there is no campaign {slug!r}")
    return found


def _get_request(reference: str) -> Request:
    found = (
        Request.objects.select_related("campaign", "authority")
        .filter(reference=reference.upper())
        .first()
    )
    if found is None:
        raise ApiProblem(404, f"there is no request {reference!r}")
    return found


# Endpoints --------------------------------------------------------------------------------------


@endpoint
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "user": user.get_username(),
        "role": role_of(user),
        "campaigns": _url(request, "campaigns"),
    }


@endpoint
def campaigns(request: HttpRequest) -> dict[str, Any]:
    found = Campaign.objects.annotate(size=Count("requests")).order_by("-created_at", "id")
    return _page(request, found, lambda c: _campaign(request, c, c.size))


@endpoint
def campaign(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = _get_campaign(slug)
    counts = state_counts(found)
    body = _campaign(request, found, sum(counts.values()))
    body["counts"] = counts
    body["requests_url"] = _url(request, "requests", found.slug)
    body["facts_url"] = _url(request, "facts", found.slug)
    return body


@endpoint
def requests(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = _get_campaign(slug)
    rows = Request.objects.filter(campaign=found).select_related("campaign", "authority")
    state = request.GET.get("state", "")
    if state:
        rows = rows.filter(state=state)
    return _page(request, rows.order_by("reference"), lambda r: _request(request, r))


@endpoint
def request_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    found = _get_request(reference)
    body = _request(request, found)
    body["events_url"] = _url(request, "events", found.reference)
    return body


@endpoint
def events(request: HttpRequest, reference: str) -> dict[str, Any]:
    found = _get_request(reference)
    return _page(request, found.events.order_by("id"), _event)


@endpoint
def facts(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = _get_campaign(slug)
    rows = (
        StoredFact.objects.filter(request__campaign=found, status__in=CONFIRMED)
        .select_related("request__authority")
        .prefetch_related(
            Prefetch("evidence", queryset=FactEvidence.objects.order_by("id")),
            Prefetch("decisions", queryset=ReviewDecision.objects.order_by("id")),
        )
    )
    for name in ("field", "vendor"):
        if request.GET.get(name):
            rows = rows.filter(**{name: request.GET[name]})
    reference = request.GET.get("reference", "")
    if reference:
        rows = rows.filter(request__reference=reference.upper())
    return _page(request, rows.order_by("id"), _fact)


@endpoint
def nowhere(request: HttpRequest, rest: str = "") -> dict[str, Any]:
    if rest and not rest.endswith("/"):
        try:
            match = resolve(f"{request.path}/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "nowhere":
            raise ApiProblem(404, f"there is no such API address: did you mean {request.path}/ ?")
    raise ApiProblem(404, "there is no such API address: see GET /api/v1/")


urlpatterns = [
    path("", me, name="me"),
    path("campaigns/", campaigns, name="campaigns"),
    path("campaigns/<slug:slug>/", campaign, name="campaign"),
    path("campaigns/<slug:slug>/requests/", requests, name="requests"),
    path("campaigns/<slug:slug>/facts/", facts, name="facts"),
    path("requests/<str:reference>/", request_detail, name="request"),
    path("requests/<str:reference>/events/", events, name="events"),
    re_path(r"^(?P<rest>.*)$", nowhere, name="nowhere"),
]
