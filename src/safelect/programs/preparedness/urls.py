from django.urls import path

from . import views, views_assessments, views_interstate, views_oversight

app_name = "preparedness"

urlpatterns = [
    path("", views.catalog_page, name="catalog"),
    path("catalog.json", views.catalog_json, name="catalog-json"),
    path("print/", views.catalog_print, name="catalog-print"),
    path("catalog/new/", views.catalog_new, name="catalog-new"),
    path("catalog/<slug:slug>/edit/", views.catalog_edit, name="catalog-edit"),
    path("assessments/", views_assessments.assessment_list, name="assessments"),
    path("assessments/new/", views_assessments.assessment_new, name="assessment-new"),
    path("assessments/calendar/", views_assessments.team_calendar, name="calendar"),
    path("assessments/<int:pk>/", views_assessments.assessment_detail, name="assessment"),
    path("clearances/", views_oversight.clearance_list, name="clearances"),
    path("clearances/<int:pk>/", views_oversight.clearance_detail, name="clearance"),
    path("threats/", views_oversight.threat_list, name="threats"),
    path("threats/<int:pk>/", views_oversight.threat_detail, name="threat"),
    path("report/", views_oversight.annual_report, name="report"),
    path("interstate/", views_interstate.interstate_list, name="interstate-list"),
    path("interstate/<int:pk>/", views_interstate.interstate_detail, name="interstate"),
]
