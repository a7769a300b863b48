"""A certificate's texts and papers as plain data (no database): the renderer, the
defaults and the benchmark import only this."""

from __future__ import annotations

from dataclasses import dataclass

PAPERS = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "A3": (297.0, 420.0)}  # mm, portrait
STYLES = ("regular", "bold", "italic", "bold_italic")
ALIGNS = ("left", "center", "right")


@dataclass
class Element:
    """One text on the page. x, y in mm from the paper's top left corner: y is the first
    line's baseline; x is where the text starts (left), its centre, or where it ends (right).
    A width > 0 wraps the text within it. `fixed`: printed on the agency's paper already,
    so left out when printing on pre-printed paper."""

    text: str
    x: float
    y: float
    size: float = 14
    style: str = "regular"
    align: str = "center"
    width: float = 0
    fixed: bool = False
    upper: bool = False
