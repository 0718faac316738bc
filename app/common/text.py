"""Rules about text that hold everywhere."""
from __future__ import annotations

import re

# NUL and the other control characters, but tab and new lines: refused in anything sent (app/security.py).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
