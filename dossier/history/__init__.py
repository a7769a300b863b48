"""Award history: every award a person or unit received, which later proposals depend on."""
