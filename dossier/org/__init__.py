"""The organisation: agency settings, units, staff, accounts and roles."""
