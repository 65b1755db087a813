"""Interactive ipywidgets for the chapters: change the task, width or seed and watch the result.

Each section below belongs to one chapter's helpers; add functions to your own section only.
"""

from __future__ import annotations

# == chapters 1-2 ==

# == chapters 3-4 ==

# == chapter 5 ==
