from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "waterdesk.web"
    label = "web"
