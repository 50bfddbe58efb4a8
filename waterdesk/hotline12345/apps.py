from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Hotline12345Config(AppConfig):
    name = "waterdesk.hotline12345"
    label = "hotline12345"
    verbose_name = _("12345 hotline integration")
