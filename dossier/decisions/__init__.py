"""The Quyết định khen thưởng: drafting, numbering, signing, issuing, proposals upward."""
