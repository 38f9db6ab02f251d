"""TAXII 2.1 routes, mounted at ``/taxii2/`` (the app's ``url_mounts``)."""

from django.urls import path

from . import taxii

urlpatterns = [
    path("", taxii.discovery, name="taxii-discovery"),
    path("api/", taxii.api_root, name="taxii-root"),
    path("api/status/<str:status_id>/", taxii.status, name="taxii-status"),
    path("api/collections/", taxii.collections, name="taxii-collections"),
    path("api/collections/<str:collection_id>/", taxii.collection, name="taxii-collection"),
    path("api/collections/<str:collection_id>/objects/", taxii.objects, name="taxii-objects"),
    path("api/collections/<str:collection_id>/objects/<str:object_id>/", taxii.object_by_id, name="taxii-object"),
    path("api/collections/<str:collection_id>/objects/<str:object_id>/versions/", taxii.object_versions, name="taxii-versions"),
    path("api/collections/<str:collection_id>/manifest/", taxii.manifest, name="taxii-manifest"),
]
