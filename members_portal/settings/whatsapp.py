"""WhatsApp Business (the Cloud API): where the portal's approved template messages go, and the secrets its webhook
checks. Imported by base.py (one line); docs/deploy.md says how to set it up.

WHATSAPP_BACKEND "file" (the default, development and the demo) appends each message as a JSON line to
WHATSAPP_FILE_PATH (base.py, under var/) and sends nothing; "cloud" posts to Meta's Graph API. Nothing goes to a
member who has not opted in on their preferences page, whichever backend.
"""

import os

WHATSAPP_BACKEND = os.environ.get("WHATSAPP_BACKEND", "file")
WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "https://graph.facebook.com").rstrip("/")
WHATSAPP_API_VERSION = os.environ.get("WHATSAPP_API_VERSION", "v21.0")
# The business phone number's id (not the number itself) and a system user's permanent access token.
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
# The app secret signs every webhook call (X-Hub-Signature-256); the verify token answers Meta's subscription check.
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
# Seconds to wait for the API's answer; one that never came is marked to check, never sent again on a guess.
WHATSAPP_TIMEOUT_S = float(os.environ.get("WHATSAPP_TIMEOUT_S", "10"))
