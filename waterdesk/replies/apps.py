from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "waterdesk.replies"
    label = "replies"
