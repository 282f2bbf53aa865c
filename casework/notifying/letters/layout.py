"""Where things may be printed on a letter: GOV.UK Notify's letter specification for precompiled letters.

The same PDF goes into a windowed envelope posted by the council and through
Notify's precompiled letter API, which refuses content outside these areas
(its validation draws them and looks for ink elsewhere). Millimetres from the
top left corner of an A4 portrait page (210 x 297 mm).

- Every page: nothing within 15 mm of the left or right edge, or 5 mm of the top
  or bottom (the left margin is where Notify and its printer put their marks).
- First page: the recipient's address in the window, 24.6 to 120 mm from the
  left and 39.5 to 66.3 mm from the top, at most 7 lines, the postcode last; the
  sender's details (logo, name) above it, 5 to 30 mm from the top and 15 to
  125 mm from the left; the sender's address and contact details on the right,
  125 to 195 mm from the left, down to 95 mm; the body from 95 mm down. Nothing
  else above 95 mm.
"""

from __future__ import annotations

A4_WIDTH = 210.0
A4_HEIGHT = 297.0
MARGIN_SIDE = 15.0
MARGIN_TOP_BOTTOM = 5.0
BODY_TOP = 95.0

ADDRESS_LEFT = 24.6
ADDRESS_RIGHT = 120.0
ADDRESS_TOP = 39.5
ADDRESS_BOTTOM = 66.3
ADDRESS_MAX_LINES = 7

LOGO_TOP = 5.0
LOGO_BOTTOM = 30.0
LOGO_RIGHT = 125.0

SERVICE_ADDRESS_LEFT = 125.0
SERVICE_ADDRESS_RIGHT = A4_WIDTH - MARGIN_SIDE

# Our own layout, inside those areas with a little room to spare (text is measured by its glyph boxes).
PAGE_SIDE = 18.0  # body margin, left and right
PAGE_TOP = 20.0  # later pages
PAGE_BOTTOM = 14.0  # the page number sits in this margin, above the 5 mm no-print strip
BLOCK_ADDRESS = {"left": 26.0, "top": 41.0, "width": 92.0, "height": 24.5}
BLOCK_SENDER = {"left": 18.0, "top": 10.0, "width": 100.0, "height": 18.0}
BLOCK_RETURN = {"left": 128.0, "top": 10.0, "width": 64.0, "height": 82.0}
