"""Recipient helpers: the users a notification goes to, by role and department. Active only.

Roles are a JSON list, which SQLite cannot filter inside, so the role test runs in Python over
the department's members or, for center heads, over all active staff: a few hundred rows.
"""

from waterdesk.orders.models import WorkOrder
from waterdesk.organization.models import Department, Role, User


def _with_role(users, role: str) -> list[User]:
    return [user for user in users.order_by("pk") if user.has_role(role)]


def department_heads(department: Department) -> list[User]:
    """Return the heads (部门负责人) of `department`."""
    return _with_role(
        User.objects.filter(is_active=True, department=department), Role.DEPARTMENT_HEAD
    )


def staff_by_department(department_ids, role: str) -> dict[int, list[User]]:
    """Return the active users with `role` of each department, read in one query."""
    found: dict[int, list[User]] = {department_id: [] for department_id in department_ids}
    members = User.objects.filter(is_active=True, department_id__in=found).order_by("pk")
    for user in members:
        if user.has_role(role):
            found[user.department_id].append(user)
    return found


def center_heads() -> list[User]:
    """Return the heads of the dispatch and service center (调度服务中心负责人)."""
    return _with_role(User.objects.filter(is_active=True), Role.CENTER_HEAD)


def handlers_of(order: WorkOrder) -> list[User]:
    """Return the handler who accepted `order`, or every handler of its department if none did."""
    accepted_by = order.accepted_by
    if accepted_by is not None and accepted_by.is_active:
        return [accepted_by]
    return _with_role(
        User.objects.filter(is_active=True, department_id=order.department_id), Role.HANDLER
    )
