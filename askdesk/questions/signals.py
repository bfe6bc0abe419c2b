"""Events other apps subscribe to, so that dependencies keep pointing one way.

Sent inside the writing transaction: a receiver that enqueues work with
``askdesk.ops.tasks.enqueue_on_commit`` gets it committed together with the write.
Receivers only schedule work; they hold no domain logic.
"""

from django.dispatch import Signal

# question_id: a reader's question was stored.
question_changed = Signal()

# question_id, token, emailed: a reader's question was stored and their private link made (sent
# once, after the contact details are stored; the token is never stored in clear). ``emailed``:
# the reader left an email address.
question_submitted = Signal()

# question_id, callout_id, was_published: a question was deleted (by its reader or by
# retention). Whatever holds a copy of its words outside the database (a cached page, a
# feed) must drop it; the database itself is cleaned by the deleting service.
question_deleted = Signal()

# callout_id: questions joined, left or moved between the call-out's groups (sizes changed).
group_sizes_changed = Signal()
