"""What the administrator may do with the catalogue, departments and requests in the Django admin: added to the
role's table in members.permissions from requests_app.apps, granted after every migrate."""

from members.permissions import EVERYTHING, READ

ADMINISTRATOR_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    "requests_app": {
        "department": EVERYTHING,
        "departmentmembership": EVERYTHING,
        "category": EVERYTHING,
        "requesttype": EVERYTHING,
        "requestfield": EVERYTHING,
        "requestdocument": EVERYTHING,
        "frequentquestion": EVERYTHING,
        "holiday": EVERYTHING,
        "cannedreply": EVERYTHING,
        "servicerequest": READ,
        "timelineevent": READ,
        "attachment": READ,
        "receipt": READ,
        "staffnotice": READ,
        "boarddecision": READ,
    },
}
