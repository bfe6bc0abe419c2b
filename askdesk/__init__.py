"""askdesk: the reader-questions desk."""
