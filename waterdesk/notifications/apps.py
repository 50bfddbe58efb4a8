from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "waterdesk.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from .config import read_sms_config
        from .providers import build_provider

        # Parse the SMS settings and build the provider once at start-up, so that a missing
        # credential or a bad limit stops the process here instead of at the first message.
        build_provider(read_sms_config())
