"""The General Assembly (assembly/): what the cooperative's bylaws decide, read from the environment.

Imported by base.py (one line).
"""

import os

# Whether members may attend remotely: the bylaws say, so off until the cooperative turns it on.
ASSEMBLY_REMOTE_ATTENDANCE = os.environ.get("ASSEMBLY_REMOTE_ATTENDANCE", "").strip().lower() in {"1", "true", "yes"}
# The least notice a meeting is published with, in days (the portal's policy: 15).
ASSEMBLY_NOTICE_DAYS = int(os.environ.get("ASSEMBLY_NOTICE_DAYS", "15"))
# Where meetings are held unless the secretary writes another place.
ASSEMBLY_HEADQUARTERS_AR = os.environ.get("ASSEMBLY_HEADQUARTERS_AR", "مقر الجمعية في نجران")
ASSEMBLY_HEADQUARTERS_EN = os.environ.get("ASSEMBLY_HEADQUARTERS_EN", "The cooperative's headquarters, Najran")
# A proxy is appointed, accepted and revoked until this many hours before the meeting (GOV-01).
ASSEMBLY_PROXY_CUTOFF_HOURS = int(os.environ.get("ASSEMBLY_PROXY_CUTOFF_HOURS", "48"))

# The quorum of an ordinary meeting, and of one adjourned for want of it (Law art. 22, Reg. art. 42), in percent of
# the members eligible at the record date. An extraordinary meeting needs a majority (Law art. 25).
ASSEMBLY_QUORUM_PERCENT = int(os.environ.get("ASSEMBLY_QUORUM_PERCENT", "25"))
ASSEMBLY_ADJOURNED_QUORUM_PERCENT = int(os.environ.get("ASSEMBLY_ADJOURNED_QUORUM_PERCENT", "10"))
# The Assembly's documents (accounts, board and auditor reports) open to members at least this many days before the
# meeting (Law art. 20: two weeks); publishing them later is refused.
ASSEMBLY_DOCUMENTS_DAYS = int(os.environ.get("ASSEMBLY_DOCUMENTS_DAYS", "14"))
# The cooperative's financial year ends on this month and day (the basic bylaws say; default 31 December). The
# governance calendar on the board's home counts the law's deadlines from it.
ASSEMBLY_YEAR_END_MONTH = int(os.environ.get("ASSEMBLY_YEAR_END_MONTH", "12"))
ASSEMBLY_YEAR_END_DAY = int(os.environ.get("ASSEMBLY_YEAR_END_DAY", "31"))
