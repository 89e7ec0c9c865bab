"""A campaign edited before its letters go, and each letter read as it would be sent."""

import pytest
from django.urls import reverse

from sightline.authorities.models import Contact
from sightline.lifecycle import EventKind
from sightline.mail.outbox import queue_campaign
from sightline.webui.models import AuditEntry

pytestmark = pytest.mark.django_db

BARNET = "E09000003"  # London Borough of Barnet, a member of london-boroughs
LEEDS = "E08000035"  # Leeds City Council, not a London borough


def form_data(campaign, **changes):
    data = {
        "title": campaign.title,
        "requester_name": campaign.requester_name,
        "reply_domain": campaign.reply_domain,
        "template": campaign.template,
        "add": "",
    }
    if campaign.is_test:
        data["is_test"] = "on"
    data.update(changes)
    return data


def errors(response):
    assert response.status_code == 200
    return {name: list(e) for name, e in response.context["form"].errors.items()}


def test_edit_the_letter_and_the_authorities_before_sending(client_for, campaign):
    client = client_for("editor")
    url = reverse("webui:edit_campaign", args=[campaign.slug])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["locked"]
    letter = "Dear {authority_name},\n\nPlease tell me about your CCTV.\n\n{requester_name}\n"
    response = client.post(
        url,
        form_data(campaign, template=letter, add=LEEDS, remove=[BARNET], title="CCTV, 2021"),
        follow=True,
    )
    leeds = campaign.requests.get(authority__gss_code=LEEDS)
    assert [str(m) for m in response.context["messages"]] == [
        "cctv: title 'CCTV, 2021'; letter from web; removed London Borough of Barnet "
        f"({campaign.requests.get(authority__gss_code=BARNET).reference}); added Leeds City "
        f"Council ({leeds.reference})."
    ]
    campaign.refresh_from_db()
    assert (campaign.title, campaign.template) == ("CCTV, 2021", letter)
    barnet = campaign.requests.get(authority__gss_code=BARNET)
    assert barnet.state == "withdrawn"
    assert barnet.events.last().actor == "editor"
    assert leeds.state == "draft"
    entry = AuditEntry.objects.get(action="edit_campaign")
    assert (entry.username, entry.target) == ("editor", "cctv")
    # The letter to Leeds, as it would go.
    preview = client.get(reverse("webui:letter_preview", args=[campaign.slug, leeds.reference]))
    assert preview.context["body"] == (
        "Dear Leeds City Council,\n\nPlease tell me about your CCTV.\n\nA. Researcher\n"
    )
    headers = dict(preview.context["headers"])
    assert headers["Subject"] == f"Freedom of Information request: CCTV, 2021 [{leeds.reference}]"
    assert headers["From"].startswith('"A. Researcher" <foi+')
    assert headers["From"].endswith("@replies.example.org>")
    assert headers["To"] == ""
    assert preview.context["no_address"] and not preview.context["stored"]
    listed = client.get(reverse("webui:letters", args=[campaign.slug]))
    assert listed.context["ready"] == (
        "1 authority has no FOI contact address, nothing sent (import them with `sightline "
        "contacts import`): Leeds City Council (E08000035)"
    )


def test_validity_checks_are_form_errors_and_change_nothing(client_for, campaign):
    client = client_for("owner")
    url = reverse("webui:edit_campaign", args=[campaign.slug])
    response = client.post(
        url,
        form_data(
            campaign,
            requester_name="name",
            reply_domain="replies.test",
            template="Dear {authority}",
        ),
    )
    assert errors(response) == {
        "requester_name": [
            "the campaign has 'name' as the requester's name, which stands in for a name"
        ],
        "reply_domain": [
            "the campaign has replies directed to replies.test, a reserved name that cannot "
            "receive mail (mark the campaign as a test to send to it)"
        ],
        "template": [
            "unknown placeholder(s) {authority}; known: {authority_name}, "
            "{authority_short_name}, {law_name}, {law_short_name}, {law_section}, "
            "{time_limit_section}, {reference}, {requester_name}"
        ],
    }
    html = response.content.decode()
    assert 'id="errors-requester_name"' in html
    # A test campaign may use a reserved name; an unknown authority is an error of the form.
    unknown = client.post(url, form_data(campaign, reply_domain="replies.test", add="X99"))
    assert errors(unknown) == {
        "reply_domain": [
            "the campaign has replies directed to replies.test, a reserved name that cannot "
            "receive mail (mark the campaign as a test to send to it)"
        ]
    }
    missing = client.post(
        url, form_data(campaign, reply_domain="replies.test", is_test="on", add="X99")
    )
    assert errors(missing) == {"__all__": ["no authority with code 'X99'"]}
    campaign.refresh_from_db()
    assert (campaign.reply_domain, campaign.is_test) == ("replies.example.org", False)
    assert campaign.requests.count() == 32
    assert not AuditEntry.objects.filter(action="edit_campaign").exists()


def test_once_queued_only_the_title_changes(client_for, campaign):
    queue_campaign(campaign)
    client = client_for("editor")
    url = reverse("webui:edit_campaign", args=[campaign.slug])
    page = client.get(url)
    assert page.context["locked"]
    assert page.context["form"].fields["template"].disabled
    # A changed letter posted anyway is ignored (the field is fixed); the title changes.
    response = client.post(
        url, form_data(campaign, template="Dear {authority_name}, other", title="New"), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["cctv: title 'New'."]
    campaign.refresh_from_db()
    assert campaign.template.startswith("Dear {authority_name},\n\n1. Does")
    request = campaign.requests.order_by("reference").first()
    preview = client.get(reverse("webui:letter_preview", args=[campaign.slug, request.reference]))
    assert preview.context["stored"]
    stored = request.outgoing.get()
    assert dict(preview.context["headers"])["Subject"] == stored.subject
    assert preview.context["body"].startswith(f"Dear {request.authority.name},")
    assert dict(preview.context["headers"])["To"] == stored.to


def test_the_preview_is_the_message_the_outbox_stores(client_for, campaign):
    request = campaign.requests.order_by("reference").first()
    client = client_for("viewer")
    url = reverse("webui:letter_preview", args=[campaign.slug, request.reference])
    before = client.get(url).context
    queue_campaign(campaign)
    after = client.get(url).context
    assert after["stored"] and not before["stored"]
    assert (before["headers"], before["body"]) == (after["headers"], after["body"])
    contact = Contact.objects.filter(authority=request.authority).first()
    assert dict(after["headers"])["To"] == contact.email
    assert request.events.filter(kind=EventKind.QUEUED).exists()
    assert (
        client.get(reverse("webui:letter_preview", args=[campaign.slug, "NOPE-1"])).status_code
        == 404
    )


def test_a_letter_sent_back_by_the_browser_is_not_a_change(client_for, campaign):
    """Browsers send a textarea's line ends as CR LF: the untouched letter stays as it was."""
    response = client_for("editor").post(
        reverse("webui:edit_campaign", args=[campaign.slug]),
        form_data(campaign, title="Renamed", template=campaign.template.replace("\n", "\r\n")),
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["cctv: title 'Renamed'."]
    before = campaign.template
    campaign.refresh_from_db()
    assert campaign.template == before and "\r" not in campaign.template
