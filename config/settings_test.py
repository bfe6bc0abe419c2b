"""Test overlay: fast password hashing, an in-memory database unless DATABASE_URL is set."""

import os

os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
# Fixed keys: tests never write key files. (Fernet keys: 32 url-safe base64-encoded bytes.)
os.environ.setdefault("ASKDESK_CONTACT_KEYS", "dGVzdC1jb250YWN0LWtleS0xLTEyMzQ1Njc4OTAxMjM=")
os.environ.setdefault("ASKDESK_CONTACT_LOOKUP_KEY", "test-lookup-key")
# The small deterministic embedder: no model is loaded in the fast suite.
os.environ.setdefault("ASKDESK_EMBEDDER", "hashing")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-with-enough-length-and-entropy-0123456789")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run at once, inside the test; tests of the worker switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
ASKDESK_READY_REQUIRES_WORKER = False
# Abuse limits are off, and the reader form takes any fill time; their tests turn them on.
ASKDESK_LIMITS_ENABLED = False
ASKDESK_FORM_MIN_SECONDS = 0.0
# Client.login() authenticates without a request, which django-axes refuses: its tests turn it on.
AXES_ENABLED = False
