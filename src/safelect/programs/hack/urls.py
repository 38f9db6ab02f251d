from django.urls import path

from . import views, views_agency, views_office, views_research

app_name = "hack"

urlpatterns = [
    path("", views.home, name="home"),
    path("safe-harbor/", views.safe_harbor, name="safe-harbor"),
    path("apply/", views.apply, name="apply"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("advisories/<str:advisory_id>/", views.advisory, name="advisory"),
    path("researcher/", views_research.portal, name="portal"),
    path("report/", views_research.report, name="report"),
    path("findings/<int:pk>/", views_research.finding_page, name="finding"),
    path("findings/<int:pk>/proofs/<int:file_id>/", views_research.proof_download, name="proof"),
    path("board/", views_office.board, name="board"),
    path("applications/<int:pk>/", views_office.application, name="application"),
    path("manage/", views_office.manage, name="manage"),
    path("systems/", views_agency.systems, name="systems"),
]
