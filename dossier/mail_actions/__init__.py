"""Acting from e-mail: single-use, expiring links bound to one person and one task."""
