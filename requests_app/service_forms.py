"""A service as its page and its form need it: the service with its category and department, its fields and its
documents (active or not, in their order), kept as reference data (members_portal.reference).

A member's submission read them in three queries before its transaction (the service with two joins, then the
fields and the documents); the service's page in three too. The whole catalogue of active services is one copy
(some tens of services, read in three queries): a code that names no service finds nothing in it, and no address
a visitor types is kept on its own.
"""

from members_portal import reference
from requests_app.models import Category, Department, RequestDocument, RequestField, RequestType
from requests_app.reference_data import SERVICE_FORMS

_MODELS = (RequestType, Category, Department, RequestField, RequestDocument)


def _names(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def service_form(code: str) -> RequestType | None:
    """The active service `code`, its category, department, fields and documents read with it; None if there is
    no such active service. Reading them (`request_type.fields.all()`, `.category`) asks the database nothing."""
    if not reference.keeps_copies():  # nothing is kept: this service alone is read
        service = _catalogue(code).get(code)
    else:
        shape = tuple(f"{model.__name__}.{name}" for model in _MODELS for name in _names(model))
        service = reference.read(SERVICE_FORMS, (), _catalogue, shape=shape).get(code)
    return _assembled(*service) if service is not None else None


def _catalogue(code: str | None = None) -> dict[str, tuple]:
    """Every active service's rows (or only `code`'s), by code: (service, category, department, fields, documents),
    in three queries. Plain values only (the models' fields are strings, numbers and booleans): the copy is shared
    by every page that reads it."""
    own, category, department = _names(RequestType), _names(Category), _names(Department)
    types = RequestType.objects.active().order_by()
    if code is not None:
        types = types.filter(code=code)
    rows = types.values_list(
        *own, *(f"category__{name}" for name in category), *(f"department__{name}" for name in department)
    )
    code_at, first, second = own.index("code"), len(own), len(own) + len(category)
    services = {row[code_at]: (row[:first], row[first:second], row[second:]) for row in rows}
    type_ids = [service[0][0] for service in services.values()]
    fields = _by_type(RequestField.objects.filter(request_type_id__in=type_ids))
    documents = _by_type(RequestDocument.objects.filter(request_type_id__in=type_ids))
    return {
        service_code: (*service, fields.get(service[0][0], ()), documents.get(service[0][0], ()))
        for service_code, service in services.items()
    }


def _by_type(queryset) -> dict[int, tuple]:
    """The rows of each service, in the model's own order (Meta.ordering, as a prefetch reads them)."""
    names = _names(queryset.model)
    type_at = names.index("request_type_id")
    grouped: dict[int, tuple] = {}
    for row in queryset.values_list(*names):
        grouped[row[type_at]] = (*grouped.get(row[type_at], ()), row)
    return grouped


def _assembled(type_row, category_row, department_row, field_rows, document_rows) -> RequestType:
    request_type = RequestType.from_db("default", _names(RequestType), type_row)
    request_type.category = Category.from_db("default", _names(Category), category_row)
    request_type.department = Department.from_db("default", _names(Department), department_row)
    fields = [RequestField.from_db("default", _names(RequestField), row) for row in field_rows]
    documents = [RequestDocument.from_db("default", _names(RequestDocument), row) for row in document_rows]
    for item in (*fields, *documents):
        item.request_type = request_type
    request_type._prefetched_objects_cache = {
        "fields": _prefetched(request_type.fields.all(), fields),
        "documents": _prefetched(request_type.documents.all(), documents),
    }
    return request_type


def _prefetched(queryset, objects: list):
    """`queryset` holding `objects` as prefetch_related leaves it: .all() on the manager returns them, no query."""
    queryset._result_cache = objects
    queryset._prefetch_done = True
    return queryset
