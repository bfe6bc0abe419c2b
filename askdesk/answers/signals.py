"""Events of publication that other apps subscribe to (dependencies keep pointing one way).

Sent inside the publishing transaction, so a receiver that enqueues work with
``askdesk.ops.tasks.enqueue_on_commit`` gets it committed together with the publication.
"""

from django.dispatch import Signal

# question_ids, answered_by: these questions now have a published answer, the answer of
# question ``answered_by`` (their own, or their group's when it covers them). Sent once per
# publication, whatever rule decided which questions it covers.
questions_answered = Signal()
