from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("", views.solicitation_list, name="list"),
    path("<int:pk>/", views.solicitation_page, name="solicitation"),
]
