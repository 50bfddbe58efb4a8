from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "waterdesk.api"
    label = "api"
