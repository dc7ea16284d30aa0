"""Accounts: sign-in (allauth), the limits on getting in (members.limits) and sessions.

Imported by base.py; reads the environment like it.
"""

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
# "Signed in as …" names the person, never the internal username (u-…).
ACCOUNT_USER_DISPLAY = "members.adapter.display_name"
# Members sign in with their mobile (or e-mail) and a password, or a one-time code instead (members.adapter).
# Phone is optional in SIGNUP_FIELDS on purpose: with "phone*" an account without a mobile (an administrator from
# createsuperuser) is silently bounced from sign-in (ECOSYSTEM.md §2, gotcha 2). Sign-up itself stays closed.
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing the password or the second factor asks for the password again, and the account's e-mail is told
# (allauth's security notices, sent after the response like every account e-mail).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A password reset (or a code) asked for an address without an account sends nothing: no mail to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_FORMS = {
    "request_login_code": "members.account_forms.RequestLoginCodeForm",
    "confirm_login_code": "members.account_forms.ConfirmLoginCodeForm",
    "verify_phone": "members.account_forms.VerifyPhoneForm",
}
# allauth's own counters for wrong passwords and code requests are replaced by members.limits (per identifier
# typed, normalised, with growing delays and the time to try again); a code sent to verify a phone is capped per
# number per day where it is sent, so a second sign-in within seconds never meets allauth's exception (a 500).
ACCOUNT_RATE_LIMITS = {
    "login": "300/h/ip",
    "login_failed": None,
    "request_login_code": None,
    "verify_phone": None,
    "reset_password": "300/h/ip,5/h/key",
}

# --- Sessions (members/session_guard.py) ---------------------------------------------------------------------------
# The database is the one truth for sessions: a sign-out deletes the row and is final, even if the cache is down or
# frozen at that moment (with cached_db a frozen Redis kept its copy and brought the session back).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # "remember me": two weeks, still ended by the idle timeouts below
# Signed out after this long without a request, checked on the server; staff, board and administrators sooner.
SESSION_IDLE_TIMEOUT_MEMBER = 60 * 60
SESSION_IDLE_TIMEOUT_STAFF = 20 * 60
# A session without "remember me" also ends this long after sign-in, whatever the browser does with its cookie.
SESSION_UNREMEMBERED_MAX_AGE = 60 * 60 * 12

# --- Second factor (members/two_factor.py): compulsory for staff, supervisors, board and administrators -------------
# A security key or the phone's own lock (WebAuthn) where the browser has it, beside the authenticator app.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Najran Coffee Cooperative"
MFA_FORMS = {
    "authenticate": "members.account_forms.AuthenticateForm",
    "activate_totp": "members.account_forms.ActivateTOTPForm",
}
