"""The restore drill's checks (scripts/restore_drill.sh), run against whichever database the settings point at.

    python scripts/drill_check.py seed                  demo data, plus requests with documents and receipts
    python scripts/drill_check.py snapshot FILE         counts, id digests and file digests of every model
    python scripts/drill_check.py compare BEFORE AFTER  exit 1 unless the two snapshots match
    python scripts/drill_check.py serve                 the portal (Django, in process) serves the restored data
    python scripts/drill_check.py session               print a session key of a member who has a request

Models that do not exist yet are reported as skipped, so the drill runs at every stage of the project.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import models  # noqa: E402

PROJECT_APPS = ["members", "requests_app", "surveys", "auth", "account"]
# What the issue asks the drill to prove, and the models that hold it (first one that exists counts).
REQUIRED = {
    "members": ["members.Member"],
    "requests": ["requests_app.ServiceRequest"],
    "attachments": ["requests_app.Attachment"],
    "receipts": ["requests_app.Receipt"],
    "survey answers": ["surveys.Response", "surveys.SurveyResponse", "surveys.Answer"],
}
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def model_for(labels: list[str]):
    for label in labels:
        try:
            return apps.get_model(label)
        except LookupError:
            continue
    return None


def seed() -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    Attachment = model_for(REQUIRED["attachments"])
    if Attachment is None:
        print("note: no requests_app.Attachment yet: requests, attachments and receipts are not seeded")
    elif Attachment.objects.filter(service_request__isnull=False).exists():
        print("demo data already has requests with attachments")
    else:
        _submit_drill_requests(count=3)
    Response = model_for(REQUIRED["survey answers"])
    if Response is None:
        print("note: no survey answer model yet: survey answers are not seeded")
    elif Response.objects.exists():
        print("demo data already has survey answers")
    else:
        _add_survey_answers(Response, count=5)


def _add_survey_answers(Response, count: int) -> None:
    """Anonymous answers as the survey stores them (dimensions and ratings), when the demo made none."""
    import datetime

    try:
        version = Response._meta.get_field("questionnaire_version").related_model.objects.order_by("pk").first()
        if version is None:
            print("note: no questionnaire version to answer: survey answers are not seeded")
            return
        ServiceRequest = model_for(REQUIRED["requests"])
        done = ServiceRequest.objects.select_related("request_type").first() if ServiceRequest else None
        month = datetime.date.today().replace(day=1)
        Response.objects.bulk_create(
            Response(
                questionnaire_version=version,
                month=month,
                overall=1 + n % 5,
                recommend=2 * n,
                request_type_id=done.request_type_id if done else None,
                department_id=done.department_id if done else None,
                governorate="najran",
            )
            for n in range(count)
        )
        print(f"drill survey answers added: {count}")
    except Exception as error:  # the model changed: say so, the comparison will flag it empty
        print(f"note: could not add survey answers: {error!r}")


def _submit_drill_requests(count: int) -> None:
    """A few requests through the real services: a member, a draft with a PDF for each document, a submission."""
    import uuid

    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import Member, User
    from members.roles import Role
    from requests_app import services
    from requests_app.models import RequestType

    made = 0
    for n in range(count):
        user, _ = User.objects.get_or_create(
            username=f"drill{n}", defaults={"email": f"drill{n}@najran-coffee.example", "phone": f"+96650990{n:04d}"}
        )
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get_or_create(name=Role.MEMBER.value)[0])
        member, _ = Member.objects.get_or_create(
            national_id=f"10{n:08d}",
            defaults={
                "user": user,
                "membership_no": f"D-{n:04d}",
                "full_name_ar": f"عضو التمرين {n}",
                "mobile": f"+96655990{n:04d}",
                "governorate": "najran",
                "status": "active",
            },
        )
        for request_type in RequestType.objects.filter(active=True).order_by("pk"):
            try:
                documents = list(request_type.documents.filter(active=True)) or [None]
                files = [
                    (doc, SimpleUploadedFile(f"document-{i}.pdf", PDF, "application/pdf"))
                    for i, doc in enumerate(documents)
                ]
                draft = services.save_draft(
                    member=member, request_type=request_type, token=uuid.uuid4(), answers={}, files=files, by=user
                )
                services.submit_request(draft=draft, answers=[], by=user)
                made += 1
                break
            except Exception as error:  # try the next service (fields, eligibility)
                last_error = error
                continue
        else:
            print(f"note: could not submit a drill request for member {n}: {last_error!r}")
    print(f"drill requests submitted: {made}")


def _file_fields(model) -> list[str]:
    return [field.name for field in model._meta.get_fields() if isinstance(field, models.FileField)]


def snapshot() -> dict:
    result = {}
    for app_label in PROJECT_APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
            entry = {"count": len(pks), "ids": hashlib.sha256(repr(pks).encode()).hexdigest()[:16]}
            for name in _file_fields(model):
                digest, present, missing = hashlib.sha256(), 0, 0
                for stored in model._base_manager.exclude(**{name: ""}).order_by("pk").values_list(name, flat=True):
                    if default_storage.exists(stored):
                        with default_storage.open(stored, "rb") as handle:
                            digest.update(stored.encode() + hashlib.sha256(handle.read()).digest())
                        present += 1
                    else:
                        missing += 1
                entry[f"files:{name}"] = {"present": present, "missing": missing, "digest": digest.hexdigest()[:16]}
            result[model._meta.label] = entry
    return result


def compare(before: dict, after: dict) -> int:
    problems = 0
    for label in sorted(set(before) | set(after)):
        if before.get(label) != after.get(label):
            print(f"MISMATCH {label}: before {before.get(label)} after {after.get(label)}")
            problems += 1
    for what, labels in REQUIRED.items():
        present = [label for label in labels if label in before]
        if not present:
            print(f"skipped: {what} ({' / '.join(labels)} does not exist yet)")
            continue
        entry = after.get(present[0], {})
        files = [value for key, value in entry.items() if key.startswith("files:")]
        file_note = "".join(f", {f['present']} files restored ({f['missing']} missing)" for f in files)
        if entry.get("count", 0) == 0:
            print(f"EMPTY {what}: {present[0]} has no rows in the backup, so the drill proves nothing for it")
            problems += 1
        elif any(f["missing"] for f in files):
            print(f"MISSING FILES {what}: {present[0]}{file_note}")
            problems += 1
        else:
            print(f"ok: {what}: {entry['count']} rows of {present[0]}{file_note}")
    total = sum(entry["count"] for entry in after.values())
    print(f"{len(after)} models, {total} rows compared; {problems} problem(s)")
    return 1 if problems else 0


def serve() -> int:
    """The restored portal answers, for a member, with their request, its document and its receipt."""
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    problems = 0
    for path in ("/", "/healthz", "/accounts/login/"):
        try:
            status = client.get(path).status_code
        except Exception as error:
            status = repr(error)
        print(f"{'ok' if status == 200 else 'FAILED'}: GET {path} -> {status}")
        problems += status != 200
    Attachment = model_for(REQUIRED["attachments"])
    if Attachment is None:
        print("skipped: member pages of requests (requests_app does not exist yet)")
        return problems
    candidates = Attachment.objects.filter(service_request__isnull=False, service_request__member__user__isnull=False)
    if any(field.name == "visible_to_member" for field in Attachment._meta.get_fields()):
        candidates = candidates.filter(visible_to_member=True)
    attachment = candidates.select_related("service_request__member__user").first()
    if attachment is None:
        print("FAILED: no request with a document in the restored data")
        return problems + 1
    service_request = attachment.service_request
    client.force_login(service_request.member.user)
    checks = [(service_request.get_absolute_url(), service_request.reference_no.encode())]
    with default_storage.open(attachment.file.name, "rb") as handle:
        checks.append((attachment.get_absolute_url(), handle.read()))
    receipt = service_request.receipts.first() if hasattr(service_request, "receipts") else None
    if receipt is not None:
        with default_storage.open(receipt.file.name, "rb") as handle:
            checks.append((receipt.get_absolute_url(), handle.read()))
    else:
        print("note: the request has no receipt to fetch")
    for url, expected in checks:
        try:
            response = client.get(url)
        except Exception as error:
            print(f"FAILED: member GET {url} raised {error!r}")
            problems += 1
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        good = response.status_code == 200 and (expected in body if len(expected) < 64 else body == expected)
        print(f"{'ok' if good else 'FAILED'}: member GET {url} -> {response.status_code}, {len(body)} bytes")
        problems += not good
    return problems


def session() -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    ServiceRequest = model_for(REQUIRED["requests"])
    if ServiceRequest is None or not ServiceRequest.objects.filter(member__user__isnull=False).exists():
        return
    service_request = ServiceRequest.objects.filter(member__user__isnull=False).select_related("member__user").first()
    user = service_request.member.user
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    print(store.session_key, service_request.get_absolute_url(), service_request.reference_no)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "seed":
        seed()
    elif command == "snapshot":
        Path(rest[0]).write_text(json.dumps(snapshot(), indent=1, sort_keys=True))
    elif command == "compare":
        sys.exit(compare(json.loads(Path(rest[0]).read_text()), json.loads(Path(rest[1]).read_text())))
    elif command == "serve":
        sys.exit(1 if serve() else 0)
    elif command == "session":
        session()
    else:
        sys.exit(__doc__)
