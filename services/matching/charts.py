"""The console's bar charts laid out in the reader's direction.

An SVG's coordinates run left to right whatever the page's ``dir``, so a chart in a
right-to-left language (Arabic) is drawn from the right edge: labels end at it, bars grow
leftwards, and a value written after a bar's end sits to its left. The templates place
every horizontal coordinate through an ``Across`` (``across(width)`` in the console's
templates), so one template serves both directions and its words are never mirrored
glyphs, as flipping the whole chart with CSS would make them. A text needs no anchor of its
own: SVG's ``text-anchor: start`` is the start in the text's direction, which the chart
inherits from the page's ``dir``, so a label placed at ``x(0)`` runs leftwards in Arabic.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Across:
    width: float        # the viewBox's width
    rtl: bool

    def x(self, at: float) -> float:
        """A point ``at`` from the reading start (the left edge, or the right in RTL)."""
        return round(self.width - at, 1) if self.rtl else at

    def bar(self, start: float, length: float) -> float:
        """The ``x`` of a bar that begins ``start`` from the reading start and is ``length`` long."""
        return round(self.width - start - length, 1) if self.rtl else start

    @property
    def onwards(self) -> str:
        """The mark after a value beyond the chart's end, pointing the way bars grow."""
        return "‹" if self.rtl else "›"
