from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_new, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/assess/", views.incident_assess, name="assess"),
    path("<int:pk>/notice/", views.incident_notify, name="notify"),
    path("<int:pk>/update/", views.incident_update, name="update"),
]
