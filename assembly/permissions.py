"""What the administrator may do with the General Assembly in the Django admin: read it (the board drafts and
publishes in the portal, where the law's rules are checked). Added to the role's table in members.permissions from
assembly.apps, granted after every migrate."""

from members.permissions import READ

ADMINISTRATOR_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    "assembly": {"meeting": READ, "agendaitem": READ},
}
