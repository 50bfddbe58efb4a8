import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run

from waterdesk.deadlines.background import start_background_sweeper
from waterdesk.hotline12345.delivery import deliver_due_messages
from waterdesk.notifications.background import start_background_sender
from waterdesk.periodic import start_periodic
from waterdesk.reports.facts import refresh_stale_facts

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Serve waterdesk on one host and port with a threaded server, for the embedded default. "
        "Production runs gunicorn behind nginx instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="TCP port to listen on")

    def handle(self, *args, **options):
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, got {port}")
        if settings.CELERY_TASK_ALWAYS_EAGER:
            # Without a broker no Celery beat runs, so the deadlines are swept, failed SMS retried,
            # due 12345 messages delivered and assessment facts derived in this process.
            start_background_sweeper(settings.DEADLINE_SWEEP_SECONDS)
            start_background_sender(settings.WATERDESK_SMS_RETRY_SECONDS)
            start_periodic(
                "hotline12345-delivery", settings.HOTLINE12345_DUE_SECONDS, deliver_due_messages
            )
            start_periodic(
                "assessment-facts", settings.ASSESSMENT_FACTS_SECONDS, refresh_stale_facts
            )
        self.stdout.write(f"waterdesk is serving on http://{host}:{port}/ (Ctrl+C stops it)")
        logger.info("embedded server starting on %s:%s", host, port)
        try:
            run(host, port, get_internal_wsgi_application(), threading=True, server_cls=WSGIServer)
        except OSError as error:
            raise CommandError(f"cannot listen on {host}:{port}: {error.strerror}") from error
        except KeyboardInterrupt:
            logger.info("embedded server stopped")
