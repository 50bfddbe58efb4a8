from django.urls import path

from . import views

urlpatterns = [
    path("", views.submit, name="public-submit"),
    path("submitted/", views.submitted, name="public-submitted"),
    path("lookup/", views.lookup, name="public-lookup"),
    path("photos/<int:photo_id>/", views.photo, name="public-photo"),
]
