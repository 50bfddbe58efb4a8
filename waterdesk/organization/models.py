"""Departments, users and their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    CENTER_HEAD = "center_head", _("Head of the dispatch and service center")
    HANDLER = "handler", _("Department handler")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    CALLBACK_AGENT = "callback_agent", _("Callback agent")
    VIEWER = "viewer", _("Viewer")
    ADMIN = "admin", _("Administrator")


# Roles bound to one department: they see and act on that department's orders only.
DEPARTMENT_ROLES = frozenset({Role.HANDLER, Role.DEPARTMENT_HEAD})
# Roles of the dispatch and service center, who see every order.
CENTER_ROLES = frozenset({Role.DISPATCHER, Role.CENTER_HEAD, Role.CALLBACK_AGENT})


class Department(models.Model):
    """A responsible unit (责任单位) that orders are dispatched to."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    is_dispatch_center = models.BooleanField(_("is the dispatch and service center"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Roles are a list because a center head may also dispatch."""

    name = models.CharField(_("full name"), max_length=64, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def display_name(self) -> str:
        return self.name or self.username
