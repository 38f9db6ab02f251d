from django.urls import path

from . import views, views_bodies, views_reports

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("guidelines/", views.guideline_list, name="guidelines"),
    path("guidelines/<int:number>/", views.guideline, name="guideline"),
    path("guidelines/<int:number>/changes/", views.guideline_diff, name="diff"),
    path("bodies/<str:kind>/", views_bodies.body_page, name="body"),
    path("reports/", views_reports.register, name="reports"),
    path("reports/<int:pk>/", views_reports.report_page, name="report"),
    path("reports/<int:pk>/report.pdf", views_reports.report_pdf, name="report-pdf"),
]
