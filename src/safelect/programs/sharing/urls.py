from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("items/", views.board, name="board"),
    path("items/new/", views.item_new, name="item-new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("products/new/", views.product_new, name="product-new"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("products/<int:pk>/personal/", views.product_personal, name="product-personal"),
    path("products/<int:pk>/stix/", views.product_stix, name="product-stix"),
    path("products/<int:pk>.pdf", views.product_pdf, name="product-pdf"),
    path("subscription/", views.subscription, name="subscription"),
    path("withholdings/", views.withholdings, name="withholdings"),
    path("classified/", views.classified_list, name="classified"),
    path("classified/<int:pk>/", views.classified_detail, name="classified-detail"),
]
