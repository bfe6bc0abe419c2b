import datetime as dt

from django.utils import timezone

from askdesk.callouts.services import callout_set_status
from askdesk.ops.models import PeriodicRun
from askdesk.ops.periodic import periodic_enqueue_due
from askdesk.privacy.tasks import apply_retention
from askdesk.questions.models import ReaderContact
from tests.conftest import submit

RETENTION = "askdesk.privacy.tasks.apply_retention"


def test_periodic_tasks_are_enqueued_once_per_interval(db, settings):
    settings.ASKDESK_PERIODIC_TASKS = {RETENTION: 3600}
    start = timezone.now()
    assert periodic_enqueue_due(now=start) == [RETENTION]
    # Another worker's heartbeat a minute later finds nothing due.
    assert periodic_enqueue_due(now=start + dt.timedelta(minutes=1)) == []
    assert periodic_enqueue_due(now=start + dt.timedelta(hours=1, seconds=1)) == [RETENTION]
    assert PeriodicRun.objects.get(task_path=RETENTION).last_enqueued_at == start + dt.timedelta(hours=1, seconds=1)


def test_the_daily_retention_task_deletes_what_has_expired(callout, settings):
    settings.ASKDESK_RETAIN_CONTACT_DAYS = 0
    submit(callout, email="a@example.com")
    callout_set_status(callout=callout, status="closed", actor=None)
    result = apply_retention.enqueue()
    assert result.return_value == {
        "contacts_deleted": 1,
        "questions_deleted": 0,
        "callouts_closed": 0,
        "texts_redacted": 0,
    }
    assert not ReaderContact.objects.exists()
