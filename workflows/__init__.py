"""The state machines of the process, as plain data (imports nothing from dossier/).

Which dossier procedure a campaign follows is data too: its kind picks the table.
"""

# Campaign kind (dossier.enums.CampaignKind) → the dossier table its dossiers run on.
# A kind not listed follows the yearly procedure (workflows/dossier.py).
VARIANTS = {
    "one_off": "dossier_simple",  # khen thưởng đột xuất: the simplified procedure
}
