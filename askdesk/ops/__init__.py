"""Running askdesk: health and readiness, the background worker and its heartbeat, task helpers."""
