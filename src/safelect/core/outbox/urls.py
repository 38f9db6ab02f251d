from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_all_read, name="inbox-read"),
    path("inbox/<int:item_id>/", views.inbox_item, name="inbox-item"),
    path("preferences/", views.preferences, name="preferences"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.notice_log, name="notice"),
]
