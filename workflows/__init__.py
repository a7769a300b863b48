"""The state machines of the process, as plain data (imports nothing from dossier/)."""
