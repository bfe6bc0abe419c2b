"""The worker's heartbeat: a row per worker process, rewritten every few seconds."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from askdesk.ops.models import WorkerHeartbeat
from askdesk.ops.periodic import periodic_enqueue_due
from askdesk.ops.recovery import tasks_requeue_abandoned

logger = logging.getLogger(__name__)
# Rows of workers gone for this long are removed, so restarts do not pile up rows.
FORGET_AFTER = timedelta(days=1)


def heartbeat_record(*, worker_id: str, queues: str, started_at: datetime) -> None:
    """Say that this worker process is alive now."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "queues": queues[:255],
            "started_at": started_at,
            "seen_at": now,
        },
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def heartbeat_forget(*, worker_id: str) -> None:
    """A worker that stops cleanly takes its row away."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def latest_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").first()


class Heartbeat(threading.Thread):
    """Beats beside the worker loop, in its own thread (and so its own database connection)."""

    def __init__(self, *, worker_id: str, queues: str, interval: float) -> None:
        super().__init__(name="askdesk-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.interval = interval
        self.started_at = timezone.now()
        self._stop_event = threading.Event()
        # Set once the first beat is written (or failed): the worker starts taking tasks after it,
        # so the two never open their first transactions at the same moment.
        self.first_beat = threading.Event()

    def run(self) -> None:
        try:
            while True:
                try:
                    heartbeat_record(worker_id=self.worker_id, queues=self.queues, started_at=self.started_at)
                    periodic_enqueue_due()
                    # Every live worker looks for tasks of dead ones; the conditional update
                    # makes two workers requeueing the same task harmless.
                    tasks_requeue_abandoned()
                except DatabaseError:
                    # A database that is briefly away must not kill the worker; readiness will say so.
                    logger.warning("worker %s could not record its heartbeat", self.worker_id, exc_info=True)
                    close_old_connections()
                self.first_beat.set()
                if self._stop_event.wait(self.interval):
                    break
            heartbeat_forget(worker_id=self.worker_id)
        except DatabaseError:
            logger.warning("worker %s could not remove its heartbeat", self.worker_id, exc_info=True)
        finally:
            self.first_beat.set()
            connection.close()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop_event.set()
        self.join(timeout)
