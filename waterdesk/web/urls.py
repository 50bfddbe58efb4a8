from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    account,
    approvals,
    callbacks,
    center,
    dashboard,
    dispatch,
    inbox,
    order,
    order_actions,
    order_requests,
    reports,
    search,
)

app_name = "web"

urlpatterns = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("", account.home, name="home"),
    path("dispatch/", dispatch.console, name="dispatch"),
    path("dispatch/live/", dispatch.live_list, name="dispatch-live"),
    path("dispatch/history/", dispatch.history, name="dispatch-history"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/live/", inbox.inbox_live, name="inbox-live"),
    path("center/", center.center, name="center"),
    path("center/live/", center.center_live, name="center-live"),
    path("callbacks/", callbacks.desk, name="callbacks"),
    path("callbacks/<str:number>/", callbacks.callback_page, name="callback"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/live/", dashboard.dashboard_live, name="dashboard-live"),
    path("reports/orders/", reports.figure_orders, name="report-orders"),
    path("search/", search.search, name="search"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("orders/<str:number>/", order.order_page, name="order"),
    path("orders/<str:number>/print/", order.print_view, name="order-print"),
    path("orders/<str:number>/reply/check/", order.reply_check, name="reply-check"),
    path("orders/<str:number>/dispatch/", order_actions.dispatch, name="order-dispatch"),
    path("orders/<str:number>/accept/", order_actions.accept, name="order-accept"),
    path(
        "orders/<str:number>/contact-attempts/",
        order_actions.contact_attempt,
        name="order-contact-attempt",
    ),
    path("orders/<str:number>/reply/", order_actions.reply, name="order-reply"),
    path("orders/<str:number>/review/", order_actions.review, name="order-review"),
    path("orders/<str:number>/callback/", order_actions.callback, name="order-callback"),
    path("orders/<str:number>/close/", order_actions.close, name="order-close"),
]

# The exception paths of an order: each path is the API's action path under /orders/<number>/.
REQUEST_ACTIONS = [
    ("transfers/", order_requests.transfer_request, "order-transfer-request"),
    ("transfers/decision/", order_requests.transfer_decision, "order-transfer-decision"),
    ("returns/", order_requests.return_request, "order-return-request"),
    ("returns/decision/", order_requests.return_decision, "order-return-decision"),
    ("extensions/", order_requests.extension_request, "order-extension-request"),
    ("extensions/decision/", order_requests.extension_decision, "order-extension-decision"),
    ("redo-approvals/", order_requests.redo_approval, "order-redo-approval"),
    ("reports/", order_requests.report, "order-report"),
    ("reports/decision/", order_requests.report_decision, "order-report-decision"),
    ("reports/document.pdf", order_requests.report_document, "order-report-document"),
    ("merge/", order_requests.merge, "order-merge"),
    ("exemption/decision/", order_requests.exemption_decision, "order-exemption-decision"),
    ("attachments/", order_requests.attachment, "order-attachment"),
    ("attachments/<int:attachment_id>/", order_requests.attachment_file, "order-attachment-file"),
]
urlpatterns += [
    path(f"orders/<str:number>/{suffix}", view, name=name) for suffix, view, name in REQUEST_ACTIONS
]
