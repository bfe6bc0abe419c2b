"""Make a web process ready for its first readers before it serves them.

Some of what a submission needs is loaded on first use: libphonenumber's metadata of every
region the contact-detail scrubber reads (``askdesk.nlp.scrub``, about 170 ms of CPU) and the
database connection pool. A fresh process that takes a burst of submissions at once made its
first readers wait for that, several threads at a time (1.5 s in ``bench/public.py``).
``config/wsgi.py`` runs ``warm_up`` once per process, before the server sends it requests.

Then everything the process has loaded so far (Django, askdesk, libraries: some 120,000
objects) is moved out of the garbage collector's sight (``gc.freeze``): they live as long as
the process, yet each full collection walked them all again, about 100 ms during which no
thread of the process could run (about 35 ms after the freeze). That pause was a good part of
the public pages' p99 at 64 connections.
"""

from __future__ import annotations

import gc
import logging

from django.db import DatabaseError, connection

from askdesk.nlp.scrub import find_contact_details

logger = logging.getLogger(__name__)

# A phone number in every national format the scrubber reads would be long; one question with
# an email address, a phone number and a postal address makes it load all that it reads.
SAMPLE = "Will the trains run? Call me on 07700 900123, sara@example.com, 10 Downing Street, London SW1A 2AA."


def warm_up() -> None:
    """Load the scrubber's rules, open the database connection (pool) and freeze what is loaded;
    never fails the process."""
    find_contact_details(SAMPLE)
    try:
        connection.ensure_connection()
    except DatabaseError:
        logger.warning("The database did not answer while the web process started; the first request will retry.")
    finally:
        connection.close()  # back to the pool, or closed: requests open their own
    gc.collect()  # garbage of the start goes now, not into the frozen set
    gc.freeze()
