from django.urls import path

from . import views

app_name = "lawbook"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask_page, name="ask"),
    path("cite/", views.cite, name="cite"),
    path("<slug:bill>/<str:number>/", views.section, name="section"),
]
