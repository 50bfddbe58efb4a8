from django.contrib import admin
from django.urls import include, path

from waterdesk.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # Switching to English (and back) sets the language cookie; see web.language.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("waterdesk.open311.urls")),
    path("public/", include("waterdesk.public.urls")),
    # Apps with pages or endpoints outside /api/v1/ add their paths above this line.
    path("", include("waterdesk.web.urls")),
]
