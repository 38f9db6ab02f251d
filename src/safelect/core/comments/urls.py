from django.urls import path

from . import views, views_public

app_name = "comments"

urlpatterns = [
    path("", views.solicitation_list, name="list"),
    path("<int:pk>/", views.solicitation_page, name="solicitation"),
    path("<int:pk>/moderation/", views_public.moderation, name="moderation"),
    path("<int:pk>/comments.<str:fmt>", views_public.export, name="export"),
    path("confirm/<str:token>/", views_public.confirm, name="confirm"),
]
