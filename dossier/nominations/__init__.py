"""The unit's side: dossiers, nominees, achievement reports, minutes, attachments."""
