"""Help on every page for the reader's roles, and each role's printable one-page guide."""
