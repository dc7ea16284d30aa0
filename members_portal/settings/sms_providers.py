"""The Saudi SMS providers' APIs (SMS_BACKEND=unifonic, taqnyat or msegat): credentials, addresses and the secret
each provider's delivery reports must carry. Imported by base.py (one line); docs/deploy.md says how to set each up.

The sender name every provider shows is SMS_SENDER_NAME (base.py): it must be registered with the provider.
"""

import os

# Seconds to wait for a provider's answer; a message whose answer never came may have been taken, so the outbox
# marks it for checking rather than sending it again (keep it well under OUTBOX_SENDING_TIMEOUT_S).
SMS_PROVIDER_TIMEOUT_S = float(os.environ.get("SMS_PROVIDER_TIMEOUT_S", "10"))

# A second provider (its credentials set below too) that takes over a message the first refuses: an outbox SMS's
# retries alternate between the two, a code goes to the second at once. Empty: one provider (the fallback rule is in
# members/channel_table.py, docs/channels.md says it in words).
SMS_FALLBACK_BACKEND = os.environ.get("SMS_FALLBACK_BACKEND", "")
# Critical notices: the events that must reach the member even when SMS fails (by e-mail to the address on record
# then). Codes are not outbox events: they go through both SMS providers at once (members.channels.send_code_sms).
OUTBOX_CRITICAL_EVENTS = tuple(
    event.strip()
    for event in os.environ.get("OUTBOX_CRITICAL_EVENTS", "request_returned_to_member,assembly_notice").split(",")
    if event.strip()
)
# How long a critical SMS whose provider never answered waits for its delivery report before it goes by e-mail too.
OUTBOX_UNCERTAIN_FALLBACK_S = float(os.environ.get("OUTBOX_UNCERTAIN_FALLBACK_S", "300"))

UNIFONIC_URL = os.environ.get("UNIFONIC_URL", "https://el.cloud.unifonic.com").rstrip("/")
UNIFONIC_APP_SID = os.environ.get("UNIFONIC_APP_SID", "")
UNIFONIC_CALLBACK_SECRET = os.environ.get("UNIFONIC_CALLBACK_SECRET", "")

TAQNYAT_URL = os.environ.get("TAQNYAT_URL", "https://api.taqnyat.sa").rstrip("/")
TAQNYAT_TOKEN = os.environ.get("TAQNYAT_TOKEN", "")
TAQNYAT_CALLBACK_SECRET = os.environ.get("TAQNYAT_CALLBACK_SECRET", "")

MSEGAT_URL = os.environ.get("MSEGAT_URL", "https://www.msegat.com").rstrip("/")
MSEGAT_USERNAME = os.environ.get("MSEGAT_USERNAME", "")
MSEGAT_API_KEY = os.environ.get("MSEGAT_API_KEY", "")
MSEGAT_CALLBACK_SECRET = os.environ.get("MSEGAT_CALLBACK_SECRET", "")
