from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "waterdesk.orders"
    label = "orders"
    verbose_name = _("Work orders")

    def ready(self):
        from .reference import connect_signals

        connect_signals()
