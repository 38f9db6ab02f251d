from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("states/<str:usps>/", views.state_detail, name="state"),
    path("jurisdictions/<str:code>/", views.jurisdiction_detail, name="jurisdiction"),
]
