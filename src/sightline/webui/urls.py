"""Routes of the web interface (all under the ``webui`` namespace)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sightline.webui.views import accounts, findings, mail, pages, requests, review, setup, tasks

app_name = "webui"

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", accounts.audit_trail, name="audit"),
    path("assets/<str:name>", accounts.asset, name="asset"),
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
]
