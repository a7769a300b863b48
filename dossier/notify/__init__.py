"""Telling people: e-mail through an outbox, reminders before cut-offs, escalation."""
