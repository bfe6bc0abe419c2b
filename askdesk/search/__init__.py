"""Full-text search over questions, on each database's own engine (SQLite FTS5, PostgreSQL tsvector)."""
