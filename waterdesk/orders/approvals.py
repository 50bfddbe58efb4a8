"""The queues of decisions: which open requests, redo replies and exemptions await whom."""

from django.db.models import QuerySet

from waterdesk.organization.models import Role

from .models import ExemptionStatus, Reply, ReplyStatus, WorkOrder
from .request_models import OrderRequest, RequestKind, RequestStatus

ORDER_RELATIONS = ("order__department", "order__category", "order__redo_of", "order__merged_into")


def open_requests_for(user) -> QuerySet:
    """Open requests whose next decision is `user`'s, oldest first."""
    requests = OrderRequest.objects.none()
    if user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
        requests = requests | OrderRequest.objects.filter(
            status=RequestStatus.AWAITING_DEPARTMENT_HEAD, order__department_id=user.department_id
        )
    if user.has_role(Role.DISPATCHER, Role.CENTER_HEAD):
        center_kinds = [RequestKind.TRANSFER, RequestKind.EXTENSION]
        if user.has_role(Role.CENTER_HEAD):
            center_kinds += [RequestKind.RETURN, RequestKind.REPORT]
        requests = requests | OrderRequest.objects.filter(
            status=RequestStatus.AWAITING_CENTER, kind__in=center_kinds
        )
    return requests.select_related("requested_by", "target_department", *ORDER_RELATIONS).order_by(
        "requested_at", "id"
    )


def redo_replies_for(user) -> QuerySet:
    """Redo replies awaiting `user`'s approval: department head first, then center head."""
    replies = Reply.objects.none()
    if user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
        replies = replies | Reply.objects.filter(
            status=ReplyStatus.AWAITING_DEPARTMENT_HEAD, order__department_id=user.department_id
        )
    if user.has_role(Role.CENTER_HEAD):
        replies = replies | Reply.objects.filter(status=ReplyStatus.AWAITING_CENTER_HEAD)
    return replies.select_related(*ORDER_RELATIONS).order_by("submitted_at", "id")


def exemptions_for(user) -> QuerySet:
    """Orders whose reply proposed an exclusion from the assessment, for the center head."""
    if not user.has_role(Role.CENTER_HEAD):
        return WorkOrder.objects.none()
    return (
        WorkOrder.objects.filter(exemption_status=ExemptionStatus.PROPOSED)
        .select_related("department", "category", "redo_of", "merged_into")
        .order_by("replied_at", "id")
    )
