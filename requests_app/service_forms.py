"""A service as its page, its form and a request's page need it: the service with its category and department, its
fields and its documents (active or not, in their order), kept as reference data (members_portal.reference).

A member's submission read them in three queries before its transaction (the service with two joins, then the
fields and the documents); the service's page in three too; a request's staff page joined the service and the
department to the request. The whole catalogue (some tens of services, active or not, and the departments) is one
copy, read in four queries: a code that names no service finds nothing in it, and no address a visitor types is
kept on its own.
"""

from functools import cache

from members_portal import reference
from requests_app.models import Category, Department, RequestDocument, RequestField, RequestType, ServiceRequest
from requests_app.reference_data import SERVICE_FORMS

_MODELS = (RequestType, Category, Department, RequestField, RequestDocument)


@cache
def _names(model) -> tuple[str, ...]:
    """The model's columns, in the order from_db takes them (worked out once per process)."""
    return tuple(field.attname for field in model._meta.concrete_fields)


def service_form(code: str) -> RequestType | None:
    """The active service `code`, its category, department, fields and documents read with it; None if there is
    no such active service. Reading them (`request_type.fields.all()`, `.category`) asks the database nothing."""
    catalogue = _copy() if reference.keeps_copies() else _catalogue(code=code)  # without copies: this one alone
    service = catalogue["services"].get(catalogue["codes"].get(code))
    request_type = _assembled(*service) if service is not None else None
    return request_type if request_type is not None and request_type.active else None


def with_its_service(service_request: ServiceRequest) -> ServiceRequest:
    """`service_request` with its service (its category, fields and documents) and its department from the copy,
    so reading them asks the database nothing; as it was when copies are not kept (read when first used)."""
    if not reference.keeps_copies():
        return service_request
    catalogue = _copy()
    service = catalogue["services"].get(service_request.request_type_id)
    department = catalogue["departments"].get(service_request.department_id)
    if service is not None and department is not None:  # else a service or department newer than the copy
        service_request.request_type = _assembled(*service)
        service_request.department = Department.from_db("default", _names(Department), department)
    return service_request


def _copy() -> dict:
    return reference.read(SERVICE_FORMS, (), _catalogue, shape=_shape())


@cache
def _shape() -> tuple[str, ...]:
    """The columns the copy holds: a copy made by code with other columns is not read (see reference.read)."""
    return tuple(f"{model.__name__}.{name}" for model in _MODELS for name in _names(model))


def _catalogue(code: str | None = None) -> dict:
    """Every service's rows (or only `code`'s), by id: (service, category, department, fields, documents); the ids
    by code; every department by id (a request keeps the department it was sent to). Plain values only (the
    models' fields are strings, numbers and booleans): the copy is shared by every page that reads it."""
    own, category, department = _names(RequestType), _names(Category), _names(Department)
    types = RequestType.objects.order_by()
    if code is not None:
        types = types.filter(code=code)
    rows = types.values_list(
        *own, *(f"category__{name}" for name in category), *(f"department__{name}" for name in department)
    )
    first, second = len(own), len(own) + len(category)
    services = {row[0]: (row[:first], row[first:second], row[second:]) for row in rows}
    fields = _by_type(RequestField.objects.filter(request_type_id__in=list(services)))
    documents = _by_type(RequestDocument.objects.filter(request_type_id__in=list(services)))
    departments = {} if code is not None else _by_id(Department.objects.order_by())
    code_at = own.index("code")
    return {
        "services": {pk: (*rows, fields.get(pk, ()), documents.get(pk, ())) for pk, rows in services.items()},
        "codes": {rows[0][code_at]: pk for pk, rows in services.items()},
        "departments": departments,
    }


def _by_id(queryset) -> dict[int, tuple]:
    return {row[0]: row for row in queryset.values_list(*_names(queryset.model))}


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
