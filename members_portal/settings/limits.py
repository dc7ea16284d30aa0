"""Per-member limits on what is cheap to ask for and costly to serve: submissions (each sends an SMS and renders a
receipt) and the data-export PDF (rendered in the background).

Imported by base.py (one line); the values read the environment like every other setting.
"""

import os


def _limits(text: str) -> list[tuple[int, int]]:
    """'5/600,20/86400' -> [(5, 600), (20, 86400)]: at most 5 in any 600 seconds and 20 in any day."""
    pairs = []
    for part in text.split(","):
        count, _slash, seconds = part.strip().partition("/")
        if count and seconds:
            pairs.append((int(count), int(seconds)))
    return pairs


# Requests a member submits in the portal (staff entering one on a member's behalf are not counted).
REQUEST_SUBMISSION_LIMITS = _limits(os.environ.get("REQUEST_SUBMISSION_LIMITS", "5/600,20/86400"))
# A member's data-export PDF is prepared again at most this often; asking sooner shows the one being prepared.
DATA_EXPORT_EVERY_S = int(os.environ.get("DATA_EXPORT_EVERY_S", "600"))
