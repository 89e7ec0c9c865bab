"""Routes of the web interface (all under the ``webui`` namespace)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sightline.webui.views import (
    accounts,
    campaigns,
    findings,
    mail,
    pages,
    redactions,
    replies,
    requests,
    review,
    setup,
    tasks,
    users,
)

app_name = "webui"

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", accounts.audit_trail, name="audit"),
    path("assets/<str:name>", accounts.asset, name="asset"),
    path("users/", users.users_page, name="users"),
    path("users/invite/", users.invite, name="invite"),
    path("users/<int:user_id>/role/", users.change_role, name="set_role"),
    path("users/<int:user_id>/active/", users.set_active, name="set_active"),
    path("users/<int:user_id>/reset/", users.reset_password, name="reset_password"),
    path("users/links/<int:link_id>/withdraw/", users.withdraw_link, name="withdraw_link"),
    path("welcome/<str:token>/", users.welcome, name="welcome"),
    path("account/tokens/", users.tokens_page, name="tokens"),
    path("account/tokens/new/", users.create_token, name="create_token"),
    path("account/tokens/<int:token_id>/revoke/", users.revoke_token, name="revoke_token"),
    path("new/", setup.new_campaign, name="new_campaign"),
    path("c/<slug:slug>/", pages.dashboard, name="dashboard"),
    path("c/<slug:slug>/contacts/", setup.contacts, name="contacts"),
    path("c/<slug:slug>/requests/", pages.request_list, name="requests"),
    path("c/<slug:slug>/queue/", pages.queue_drafts, name="queue_drafts"),
    path("c/<slug:slug>/remind/", pages.queue_reminders, name="queue_reminders"),
    path("c/<slug:slug>/send/", pages.send_outbox_now, name="send_outbox"),
    path("c/<slug:slug>/settle/<int:number>/", pages.settle_message, name="settle_message"),
    path("c/<slug:slug>/review/", review.review_page, name="review"),
    path("c/<slug:slug>/review/extract/", review.extract, name="extract"),
    path("c/<slug:slug>/redactions/", redactions.redactions_page, name="redactions"),
    path("c/<slug:slug>/redactions/scan/", redactions.scan, name="redactions_scan"),
    path("c/<slug:slug>/redactions/decide/", redactions.decide, name="redactions_decide"),
    path("c/<slug:slug>/redactions/add/", redactions.add, name="redactions_add"),
    path("c/<slug:slug>/review/replies/", replies.reply_queue_page, name="review_replies"),
    path(
        "c/<slug:slug>/review/replies/<str:reference>/<int:message_id>/",
        replies.reply_page,
        name="review_reply",
    ),
    path(
        "c/<slug:slug>/review/replies/<str:reference>/<int:message_id>/decide/",
        replies.decide_reply_view,
        name="decide_reply",
    ),
    path("c/<slug:slug>/review/bulk/", replies.bulk_page, name="review_bulk"),
    path(
        "c/<slug:slug>/review/bulk/confirm/", replies.bulk_confirm_view, name="review_bulk_confirm"
    ),
    path("c/<slug:slug>/edit/", campaigns.edit_campaign_page, name="edit_campaign"),
    path("c/<slug:slug>/letters/", campaigns.letters_page, name="letters"),
    path("c/<slug:slug>/letters/<str:reference>/", campaigns.letter_preview, name="letter_preview"),
    path("c/<slug:slug>/findings/", findings.findings_page, name="findings"),
    path("c/<slug:slug>/findings/build/", findings.build, name="build"),
    path("c/<slug:slug>/findings/publish/", findings.mark_published, name="mark_published"),
    path("c/<slug:slug>/findings/export/", findings.export, name="export"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:job_id>/", tasks.task_page, name="task"),
    path("tasks/<int:job_id>/file/", tasks.task_file, name="task_file"),
    path("r/<str:reference>/", requests.request_page, name="request"),
    path("r/<str:reference>/state/", requests.set_state, name="set_state"),
    path("r/<str:reference>/letter/<str:kind>/", requests.letter, name="letter"),
    path("r/<str:reference>/refile/", requests.refile, name="refile"),
    path("r/<str:reference>/clock/", requests.record_clock, name="clock"),
    path("facts/<int:fact_id>/decide/", review.decide_fact, name="decide"),
    path("mail/unmatched/", mail.unmatched, name="unmatched"),
    path("mail/fetch/", setup.fetch_mail, name="fetch_mail"),
    path("mail/<int:message_id>/", requests.message_page, name="message"),
    path("mail/<int:message_id>/assign/", mail.assign_message, name="assign"),
    path("mail/<int:message_id>/raw/", requests.raw_message, name="raw_message"),
    path(
        "mail/<int:message_id>/attachments/<int:index>/",
        requests.attachment,
        name="attachment",
    ),
    # The published report is public: the only pages without a login.
    path("published/<slug:slug>/", login_not_required(findings.published), name="published"),
    path(
        "published/<slug:slug>/<str:name>",
        login_not_required(findings.published),
        name="published_file",
    ),
    path(
        "published/<slug:slug>/requests/<str:page>",
        login_not_required(findings.published_request),
        name="published_request",
    ),
]
