"""The Văn phòng's side: intake of dossiers, checks against the rules, the consolidated list."""
