"""Photos that citizens attach to their requests on the citizen page."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waterdesk.orders.models import WorkOrder

PHOTO_EXTENSIONS = ("jpg", "png", "webp")


def photo_path(instance: "CitizenPhoto", filename: str) -> str:
    # The stored name is random, so it cannot collide or escape the folder. Only a known image
    # extension is kept; the view names the file after the type detected in its bytes.
    extension = filename.rsplit(".", 1)[-1].lower()
    if extension not in PHOTO_EXTENSIONS:
        extension = "bin"
    return f"public/photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class CitizenPhoto(models.Model):
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="citizen_photos"
    )
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("citizen's photo")
        verbose_name_plural = _("citizens' photos")

    def __str__(self) -> str:
        return f"{self.order} {self.file.name}"
