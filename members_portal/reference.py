"""Reference data: what pages read on every view and people change now and then (the holiday calendar, a
department's services and staff, canned replies, a person's saved queue views), read from the shared cache.

Each small query of such data cost a staff page about 2 ms of its 40 at 100,000 requests (mostly the ORM's
compiling, not PostgreSQL); a cache read costs 0.2 ms. How a copy stays right:
- Each kind has a generation in the cache. A change to a model the kind is read from (post_save, post_delete)
  starts a new generation once its transaction commits, so the next page reads the change.
- Copies are stored only outside transactions: what a transaction reads may be its own change, not yet
  committed (or never). Inside one, a copy is read only while the transaction has changed nothing of the kind
  (then it sees what the others see: committed data); once it has, the kind is read from the database.
- A copy is at most TIMEOUT_S old, whatever happens: that is the bound when a change bypasses the model signals
  (queryset.update(), bulk_create, raw SQL) or Redis missed the new generation. `migrate` (run after a restore
  and at every upgrade) starts every kind afresh.
- Redis away: reads miss, and every page reads the database, as before. Without a shared cache (no CACHE_URL:
  each process would keep copies of its own, blind to another's changes) nothing is kept: REFERENCE_DATA_CACHED.
- Copies are plain data (tuples, sets), never model instances, under a key that names their fields (`shape`): a
  release that reads other fields never takes an older release's copy during a rolling upgrade. The key also names
  the database's host, port and name, so two portals sharing a Redis never read each other's.
- Never put here what decides access (roles, a staff member's departments, sessions): those are read per request.
"""

import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

TIMEOUT_S = 300


@dataclass(frozen=True)
class Kind:
    name: str


_KINDS: dict[str, Kind] = {}


def kind(name: str, *models: str, fields: dict[str, Iterable[str]] | None = None) -> Kind:
    """A kind of reference data read from `models` ("app_label.Model"). `fields`: for a model listed there, only a
    save of one of these fields changes the kind (a sign-in saves the user's last_login, not their name)."""
    if name in _KINDS:
        raise ValueError(f"reference data {name!r} is defined twice")
    defined = _KINDS[name] = Kind(name)
    watched_fields = {model: frozenset(names) for model, names in (fields or {}).items()}
    for model in models:
        _watch(defined, model, watched_fields.get(model))
    return defined


def _watch(defined: Kind, model: str, watched_fields: frozenset[str] | None) -> None:
    def saved(sender, update_fields=None, using="default", **kwargs) -> None:
        if watched_fields is not None and update_fields is not None and watched_fields.isdisjoint(update_fields):
            return
        changed(defined, using=using)

    def deleted(sender, using="default", **kwargs) -> None:
        changed(defined, using=using)

    def linked(sender, action="", using="default", **kwargs) -> None:  # the model as the through table of a .add()
        if action in {"post_add", "post_remove", "post_clear"}:
            changed(defined, using=using)

    uid = f"reference.{defined.name}.{model}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}.save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(linked, sender=model, weak=False, dispatch_uid=f"{uid}.m2m")


def read(defined: Kind, key: Iterable[Any], build: Callable[[], Any], *, shape: Iterable[str]) -> Any:
    """The copy of `defined` for `key` (the arguments it depends on), or `build()`'s value, stored for the next
    page. `build` reads the database and returns plain, immutable data (tuples, frozensets); `shape` names what it
    holds (the fields, in order)."""
    if not settings.REFERENCE_DATA_CACHED:
        return build()
    if connection.in_atomic_block and defined.name in _request.changed:
        return build()  # the transaction's own change, not committed yet: only the database has it
    # The generation is read before the data: a copy built while a change commits is stored under the old one.
    generation = _generations()[defined.name]
    value_key = f"{_generation_key(defined)}:{generation}:{_fingerprint(shape)}:{':'.join(map(str, key))}"
    copy = _copy(value_key)
    if connection.in_atomic_block:  # what a transaction built is never kept for others
        return copy[1] if copy is not None else build()
    _request.changed.clear()  # outside a transaction: what the last one changed is committed or rolled back
    if copy is None:
        copy = (_now() + TIMEOUT_S, build())
        cache.set(value_key, copy, TIMEOUT_S)
        _hold(value_key, copy)
    return copy[1]


def _copy(value_key: str) -> tuple[float, Any] | None:
    """The current copy (expires at, value), held by this process or from the cache; None when there is none."""
    now = _now()
    held = _held.get(value_key)
    if held is not None and held[0] > now:
        return held
    copy = cache.get(value_key)
    if copy is None or copy[0] <= now:
        return None
    _hold(value_key, copy)
    return copy


def _hold(value_key: str, copy: tuple[float, Any]) -> None:
    if len(_held) >= HELD_AT_MOST:
        _held.clear()
    _held[value_key] = copy


def keeps_copies() -> bool:
    """Whether copies are kept at all (a shared cache): without one, a reader may read less than the whole kind."""
    return settings.REFERENCE_DATA_CACHED


def changed(defined: Kind, *, using: str = "default") -> None:
    """`defined` changed: pages read it afresh once the change is committed (at once outside a transaction)."""

    def new_generation() -> None:
        cache.set(_generation_key(defined), uuid.uuid4().hex, None)
        _request.generations = None  # this request's later reads see it too
        _request.changed.discard(defined.name)

    if transaction.get_connection(using).in_atomic_block:
        _request.changed.add(defined.name)  # until then, this transaction reads the kind from the database
    transaction.on_commit(new_generation, using=using)


def forget_all() -> None:
    """Every kind read afresh by the next page (after `migrate`: a restore or an upgrade changed the data beneath)."""
    cache.delete_many([_generation_key(defined) for defined in _KINDS.values()])
    _request.generations = None
    _held.clear()


def _now() -> float:
    """The clock of the copies' age (the cache's own expiry is a second guard, on its own clock)."""
    return time.time()


def _generation_key(defined: Kind) -> str:
    database = connection.settings_dict
    return f"reference:{database['HOST']}:{database['PORT']}:{database['NAME']}:{defined.name}"


def _fingerprint(shape: Iterable[str]) -> str:
    return hashlib.blake2b(",".join(shape).encode(), digest_size=6).hexdigest()


def _generations() -> dict[str, str]:
    """Every kind's generation: one cache read, once per request (every time outside a request)."""
    generations = getattr(_request, "generations", None)
    if generations is not None:
        return generations
    keys = {name: _generation_key(defined) for name, defined in _KINDS.items()}
    found = cache.get_many(list(keys.values()))
    generations = {}
    for name, key in keys.items():
        generation = found.get(key)
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(key, generation, None):
                generation = cache.get(key) or generation
        generations[name] = generation
    if getattr(_request, "serving", False):
        _request.generations = generations
    return generations


class _Request(threading.local):
    serving = False
    generations: dict[str, str] | None = None

    def __init__(self) -> None:
        self.changed: set[str] = set()  # the kinds the open transaction changed (its thread's connection)


_request = _Request()  # per thread: the generations read by the request it serves, what its transaction changed
# value key -> (expires at, value): the copies this process read, reused while their generation is current.
_held: dict[str, tuple[float, Any]] = {}
HELD_AT_MOST = 2000


def _request_started(sender, **kwargs) -> None:
    _request.serving, _request.generations = True, None


def _request_finished(sender, **kwargs) -> None:
    _request.serving, _request.generations = False, None


request_started.connect(_request_started, dispatch_uid="reference.request_started")
request_finished.connect(_request_finished, dispatch_uid="reference.request_finished")


def _forget_after_migrate(sender, **kwargs) -> None:
    forget_all()


post_migrate.connect(_forget_after_migrate, dispatch_uid="reference.forget_after_migrate")


def in_model_order(model, *field_names: str) -> tuple[str, ...]:
    """The field names (attnames: "department_id") in the model's own order, the order Model.from_db reads."""
    ordered = tuple(field.attname for field in model._meta.concrete_fields if field.attname in field_names)
    if len(ordered) != len(set(field_names)):
        raise ValueError(f"not concrete fields of {model.__name__}: {set(field_names) - set(ordered)}")
    return ordered


def read_rows(defined: Kind, key: Iterable[Any], queryset: Callable[[], Any], model, *field_names: str) -> list:
    """The objects of `queryset()` with these fields (others deferred, as .only() gives them), through the copy."""
    names = in_model_order(model, *field_names)
    copy = read(defined, key, lambda: tuple(queryset().values_list(*names)), shape=names)
    return [model.from_db("default", names, row) for row in copy]
