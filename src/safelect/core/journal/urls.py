from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [path("<str:object_type>/<str:object_id>/", views.history, name="history")]
