from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from askdesk.accounts import views as accounts
from askdesk.answers import views as answers
from askdesk.api import views as api
from askdesk.api.v1 import api as api_v1
from askdesk.callouts import views as callouts
from askdesk.exports import views as exports
from askdesk.insights import views as insights
from askdesk.ops import views as ops
from askdesk.privacy import views as privacy
from askdesk.public import feeds
from askdesk.public import views as public
from askdesk.questions import views as questions
from askdesk.readers import views as readers
from askdesk.stories import views as stories
from askdesk.web import views as web
from askdesk.webhooks import views as webhooks

questions_urls = (
    [
        path("stories/<slug:slug>/", public.story_page, name="story"),
        path("ask/<slug:callout_slug>/", questions.ask, name="ask"),
        path("q/<str:token>/", questions.question_status, name="status"),
        path("q/<str:token>/delete/", questions.question_delete, name="delete"),
        path("q/<str:token>/not-my-answer/", questions.question_decline_cover, name="decline_cover"),
        path("desk/callouts/<int:pk>/", questions.triage, name="triage"),
        path("desk/questions/<int:pk>/", questions.question_detail, name="detail"),
        path("desk/questions/<int:pk>/act/", questions.question_action, name="act"),
        path("desk/callouts/<int:pk>/groups/", questions.group_action, name="group_act"),
        path("desk/callouts/<int:pk>/questions/", questions.bulk_action, name="bulk_act"),
        path("desk/callouts/<int:pk>/undo/", questions.undo_action, name="undo"),
        path("desk/callouts/<int:pk>/live/", questions.triage_live, name="triage_live"),
    ],
    "questions",
)
answers_urls = (
    [
        path("answers/<slug:callout_slug>/", public.answers_page, name="public"),
        path("ask/<slug:callout_slug>/suggestions/", answers.suggest, name="suggest"),
        path("desk/mine/", answers.my_questions, name="queue"),
        path("desk/questions/<int:pk>/answer/", answers.answer_edit, name="edit"),
        path("desk/questions/<int:pk>/publication/", answers.answer_action, name="act"),
        path("desk/questions/<int:pk>/publish/", answers.answer_publish_page, name="publish"),
        path("desk/questions/<int:pk>/publish-from-story/", answers.story_publish_page, name="publish_from_story"),
    ],
    "answers",
)
desk_urls = (
    [
        path("desk/", web.desk_home, name="home"),
        path("desk/stories/new/", stories.story_import_page, name="story_import"),
        path("desk/callouts/<int:pk>/status/", callouts.callout_status, name="callout_status"),
        path("desk/callouts/<int:pk>/settings/", callouts.callout_settings, name="callout_settings"),
        path("desk/questions/<int:pk>/contact/", privacy.reveal_contact, name="reveal_contact"),
        path("desk/privacy/export/", privacy.export_reader_data, name="export_reader_data"),
    ],
    "desk",
)
# Embeds, oEmbed, feeds and live answers: public, cached, the same for every reader.
public_urls = (
    [
        path("embed/<slug:callout_slug>/form/", public.embed_form, name="embed_form"),
        path("embed/<slug:callout_slug>/answers/", public.embed_answers, name="embed_answers"),
        path("answers/<slug:callout_slug>/live/", public.answers_live, name="live"),
        path("answers/<slug:callout_slug>/feed.rss", feeds.CalloutRssFeed(), name="feed_rss"),
        path("answers/<slug:callout_slug>/feed.atom", feeds.CalloutAtomFeed(), name="feed_atom"),
        path("answers/<slug:callout_slug>/feed.json", feeds.callout_json_feed, name="feed_json"),
        path("n/<slug:newsroom_slug>/feed.rss", feeds.NewsroomRssFeed(), name="newsroom_rss"),
        path("n/<slug:newsroom_slug>/feed.atom", feeds.NewsroomAtomFeed(), name="newsroom_atom"),
        path("n/<slug:newsroom_slug>/feed.json", feeds.newsroom_json_feed, name="newsroom_json"),
        path("n/<slug:newsroom_slug>/theme.css", public.theme_css, name="theme"),
        path("oembed", public.oembed, name="oembed"),
    ],
    "public",
)
exports_urls = (
    [
        path("desk/callouts/<int:pk>/exports/", exports.callout_exports, name="callout"),
        path("desk/callouts/<int:pk>/exports/contacts/", exports.callout_contacts_export, name="contacts"),
    ],
    "exports",
)
readers_urls = (
    [
        path("also/<int:pk>/", readers.also_ask, name="also_ask"),
        path("joined/<str:token>/", readers.joined_status, name="joined"),
        path("joined/<str:token>/delete/", readers.joined_delete, name="joined_delete"),
        path("unsubscribe/<str:token>/", readers.unsubscribe, name="unsubscribe"),
        path("rounds/<int:pk>/", readers.round_page, name="round"),
        path("rounds/<int:pk>/vote/", readers.vote, name="vote"),
        path("rounds/<int:pk>/results.json", readers.round_results, name="round_results"),
        path("desk/callouts/<int:pk>/rounds/", readers.round_new, name="round_new"),
        path("desk/rounds/<int:pk>/", readers.round_desk, name="round_desk"),
        path("desk/alerts/", readers.alerts, name="alerts"),
        path("desk/questions/<int:pk>/private-reply/", readers.private_reply, name="private_reply"),
    ],
    "readers",
)
insights_urls = (
    [
        path("desk/callouts/<int:pk>/analytics/", insights.callout_analytics, name="callout"),
        path("desk/newsrooms/<int:pk>/analytics/", insights.newsroom_analytics, name="newsroom"),
    ],
    "insights",
)
accounts_urls = (
    [
        path("desk/login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
        path("desk/logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("desk/account/two-step/", accounts.two_factor_setup, name="two_factor_setup"),
        path("desk/account/two-step/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    ],
    "accounts",
)

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("", web.home, name="home"),
    path("legal/<int:pk>/", web.legal_document, name="legal"),
    path("", include(questions_urls)),
    path("", include(answers_urls)),
    path("", include(desk_urls)),
    path("", include(public_urls)),
    path("", include(exports_urls)),
    path("", include(accounts_urls)),
    path("", include(readers_urls)),
    path("", include(insights_urls)),
    path("admin/", admin.site.urls),
    # JSON API: /api/v1/ (reference page /api/v1/docs), its OpenAPI document, problems elsewhere.
    path("desk/api-keys/", api.api_keys, name="api_keys"),
    path("desk/webhooks/", include(([path("", webhooks.webhooks_page, name="desk")], "webhooks"))),
    path("api/openapi.json", api.openapi_document, name="openapi"),
    path("api/v1/", api_v1.urls),
    re_path(r"^api/", api.api_not_found),
]

# Error pages readers may see, in their language and the public layout.
handler404 = "askdesk.ops.errors.page_not_found"
handler500 = "askdesk.ops.errors.server_error"
