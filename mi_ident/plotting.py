"""Figures: networks and circuits, training curves, counts. Depends on the core, never the reverse.

Each section below belongs to one chapter's helpers; add functions to your own section only.
"""

from __future__ import annotations

# == training and activations (chapters 1-2) ==

# == networks, circuits and interpretations (chapters 3-4) ==

# == algorithms and alignment (chapter 5) ==
