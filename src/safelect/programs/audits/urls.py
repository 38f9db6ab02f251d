from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("new/", views.audit_new, name="new"),
    path("<int:pk>/", views.audit_detail, name="audit"),
    path("<int:pk>/jurisdictions/<int:participant>/", views.participant_detail, name="participant"),
    path("uploads/<int:pk>/status/", views.upload_status, name="upload-status"),
    path("<int:pk>/manifests.csv", views.combined_manifest, name="manifests"),
    path("<int:pk>/jurisdictions/<int:participant>/retrieval.<str:fmt>", views.retrieval, name="retrieval"),
]
