"""Places on the requests app's pages that the apps above fill in at start-up, so requests_app never names them.

An app registers in its AppConfig.ready(); the page asks the slot.
"""

# Sections of the member's request page after its documents: templates rendered with the page's context (the
# survey's "rate this service" button).
_member_request_panels: list[str] = []


def register_member_request_panel(template_name: str) -> None:
    if template_name not in _member_request_panels:
        _member_request_panels.append(template_name)


def member_request_panels() -> list[str]:
    return list(_member_request_panels)
