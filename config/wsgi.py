import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Ready before the first request (askdesk/ops/warm.py).
from askdesk.ops.warm import warm_up  # noqa: E402 - needs Django set up by the line above

warm_up()
