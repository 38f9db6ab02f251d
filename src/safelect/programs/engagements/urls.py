from django.urls import path

from .views import overview, records

app_name = "engagements"
urlpatterns = [
    path("", records.engagement_list, name="list"),
    path("new/", records.engagement_form, name="create"),
    path("<int:pk>/", records.engagement_detail, name="detail"),
    path("<int:pk>/edit/", records.engagement_form, name="edit"),
    path("<int:pk>/follow-ups/new/", records.follow_up_open, name="follow-up-open"),
    path("follow-ups/<int:pk>/close/", records.follow_up_close, name="follow-up-close"),
    path("review/", records.review_queue, name="review"),
    path("review/<int:pk>/", records.review_resolve, name="review-resolve"),
    path("coverage/", overview.coverage, name="coverage"),
    path("export/", overview.export, name="export"),
    path("import/", overview.import_upload, name="import"),
    path("import/<int:pk>/", overview.import_preview, name="import-preview"),
    path("import/<int:pk>/progress/", overview.import_progress, name="import-progress"),
    path("import/<int:pk>/discard/", overview.import_discard, name="import-discard"),
]
