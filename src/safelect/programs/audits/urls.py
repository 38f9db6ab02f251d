from django.urls import path

from . import views, views_batches, views_boards, views_published

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("new/", views.audit_new, name="new"),
    path("published/", views_published.published_list, name="published"),
    path("calculator/", views_published.calculator_page, name="calculator"),
    path("published/<int:pk>/<str:what>", views_published.published_file, name="published-file"),
    path("<int:pk>/", views.audit_detail, name="audit"),
    path("<int:pk>/jurisdictions/<int:participant>/", views.participant_detail, name="participant"),
    path("uploads/<int:pk>/status/", views.upload_status, name="upload-status"),
    path("<int:pk>/manifests.csv", views.combined_manifest, name="manifests"),
    path("<int:pk>/jurisdictions/<int:participant>/retrieval.<str:fmt>", views.retrieval, name="retrieval"),
    path("<int:pk>/jurisdictions/<int:participant>/boards/", views_boards.create, name="boards-create"),
    path("<int:pk>/jurisdictions/<int:participant>/boards/<int:board_id>/new-code/", views_boards.reissue, name="board-new-code"),
    path("<int:pk>/tallies/<int:tally_id>/", views_batches.tally, name="tally"),
    path("<int:pk>/measure/", views_boards.measure, name="measure"),
    path("<int:pk>/files/<str:what>", views.audit_files, name="files"),
    path("boards/", views_boards.sign_in, name="board-sign-in"),
    path("boards/<int:board_id>/sign-in/", views_boards.sign_in, name="board-sign-in-for"),
    path("boards/<int:board_id>/", views_boards.board_home, name="board"),
    path("boards/<int:board_id>/ballots/<int:ballot_id>/", views_boards.board_ballot, name="board-ballot"),
]
