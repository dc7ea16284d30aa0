"""The seed's additional shares (MEM-02) and heirs' succession (MEM-05) get their own kinds: completing one adds
shares to the register, or puts the chosen heir in the deceased member's place (or ends the membership with the
refund due) (requests_app.completion). MEM-05's form asks for the chosen heir's national ID.

Only a service still of the seed's kind changes; the heir's field is added once (by key).
"""

from django.db import migrations
from django.db.models import F

KINDS = {"MEM-02": "additional_shares", "MEM-05": "heirs_succession"}
HEIR_FIELD = {
    "key": "heir_id",
    "label_ar": "رقم هوية الوارث البديل",
    "label_en": "The substitute heir's national ID",
    "help_ar": (
        "عند اختيار إحلال أحد الورثة: هوية الوارث الذي اتفق عليه الورثة (سعودي تتوفر فيه شروط العضوية). "
        "إن لم يكن عضوًا فليسجّل في البوابة طالبًا للعضوية قبل قرار مجلس الإدارة."
    ),
    "help_en": (
        "For a substitute heir: the ID of the heir the heirs agreed on (a Saudi who meets the membership conditions). "
        "If not a member, they register in the portal as a membership applicant before the board decides."
    ),
    "field_type": "national_id",
    "required": False,
}
HEIR_AFTER = "choice"  # the heir's ID is asked right after the choice between a substitute heir and a refund


def forward(apps, schema_editor):
    RequestType = apps.get_model("requests_app", "RequestType")
    RequestField = apps.get_model("requests_app", "RequestField")
    for code, kind in KINDS.items():
        RequestType.objects.filter(code=code, kind="service").update(kind=kind)
    heirs = RequestType.objects.filter(code="MEM-05").first()
    if heirs is None or heirs.fields.filter(key=HEIR_FIELD["key"]).exists():
        return
    choice = heirs.fields.filter(key=HEIR_AFTER).first()
    order = choice.order + 1 if choice else heirs.fields.count()
    heirs.fields.filter(order__gte=order).update(order=F("order") + 1)
    RequestField.objects.create(request_type=heirs, order=order, **HEIR_FIELD)


def backward(apps, schema_editor):
    RequestType = apps.get_model("requests_app", "RequestType")
    RequestField = apps.get_model("requests_app", "RequestField")
    for code, kind in KINDS.items():
        RequestType.objects.filter(code=code, kind=kind).update(kind="service")
    RequestField.objects.filter(request_type__code="MEM-05", key=HEIR_FIELD["key"]).delete()


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0018_add_additional_shares_and_heirs_kinds")]

    operations = [migrations.RunPython(forward, backward)]
