"""Imports every model so that Alembic and create_all see the whole schema."""

from .audit import AuditEvent, AuditHead  # noqa: F401
from .org.models import Agency, LoginThrottle, RoleAssignment, Staff, Unit, User  # noqa: F401
