from django.db import models


class WorkerHeartbeat(models.Model):
    """A background worker that is alive: it rewrites ``seen_at`` every few seconds."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class PeriodicRun(models.Model):
    """When a periodic task was last enqueued: workers claim a due run here, so only one enqueues it."""

    task_path = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.task_path} last enqueued {self.last_enqueued_at:%Y-%m-%d %H:%M}"
