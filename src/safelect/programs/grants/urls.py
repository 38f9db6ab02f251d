from django.urls import path

from . import views, views_applications

app_name = "grants"

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/new/", views.program_new, name="program-new"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/allocation.<str:fmt>", views.allocation_export, name="allocation-export"),
    path("programs/<int:pk>/apply/", views_applications.apply, name="apply"),
    path("applications/<int:pk>/", views_applications.application_detail, name="application"),
    path("review/", views_applications.review_queue, name="review"),
    path("congress/", views.congress_report, name="congress"),
    path("providers/", views.providers, name="providers"),
    path("providers/new/", views.provider_edit, name="provider-new"),
    path("providers/<int:pk>/", views.provider_edit, name="provider"),
]
