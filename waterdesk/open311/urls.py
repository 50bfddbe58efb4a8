from django.urls import re_path

from . import views

FORMAT = r"\.(?P<response_format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FORMAT, views.service_list, name="open311-services"),
    re_path(
        r"^services/(?P<service_code>[^/]+)" + FORMAT,
        views.service_definition,
        name="open311-service-definition",
    ),
    re_path(r"^requests" + FORMAT, views.request_list, name="open311-requests"),
    re_path(
        r"^requests/(?P<request_id>[^/]+)" + FORMAT,
        views.request_detail,
        name="open311-request",
    ),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, views.token_detail, name="open311-token"),
]
