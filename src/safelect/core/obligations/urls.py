from django.urls import path

from . import views

app_name = "obligations"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("board/", views.board, name="board"),
    path("calendar/", views.calendar_today, name="calendar-today"),
    path("calendar/<int:year>/<int:month>/", views.calendar_month, name="calendar"),
    path("export.csv", views.export_csv, name="export"),
    path("feed/", views.feed_settings, name="feed-settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/fulfil/", views.fulfil, name="fulfil"),
    path("<int:pk>/waive/", views.waive, name="waive"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]
