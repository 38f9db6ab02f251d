from django.urls import path

from . import views, views_personal, views_significance

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_new, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/assess/", views.incident_assess, name="assess"),
    path("<int:pk>/notice/", views.incident_notify, name="notify"),
    path("<int:pk>/update/", views.incident_update, name="update"),
    path("<int:pk>/agencies/", views.incident_notify_agencies, name="notify-agencies"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("<int:pk>/evidence/<int:file_id>/", views.evidence_download, name="evidence"),
    path("<int:pk>/personal/", views_personal.review, name="personal"),
    path("<int:pk>/close/", views_personal.close, name="close"),
    path("<int:pk>/stix/", views_personal.stix_export, name="stix"),
    path("significance/", views_significance.definition, name="definition"),
    path("<int:pk>/significant/", views_significance.determine, name="determine"),
    path("<int:pk>/congress/", views_significance.notify, name="notify-congress"),
    path("<int:pk>/congress/<int:number>/", views_significance.congress_notification, name="congress"),
    path("<int:pk>/congress/<int:number>.pdf", views_significance.congress_pdf, name="congress-pdf"),
]
