"""The seed catalogue's IBANs, ID numbers and counts get the field types that check them.

Only a field still of the type the seed gave it changes: one an administrator has retyped is left alone.
Submitted requests keep their snapshot; only new forms check the new way.
"""

from django.db import migrations

# (service code, field key): (type the seed gave, checked type)
RETYPED = {
    ("MEM-01", "iban"): ("text", "iban"),
    ("MEM-04", "iban"): ("text", "iban"),
    ("MEM-05", "iban"): ("text", "iban"),
    ("MEM-03", "transferee_id"): ("text", "national_id"),
    ("MEM-05", "deceased_id"): ("text", "national_id"),
    ("MEM-01", "bearing_trees"): ("number", "whole_number"),
    ("MEM-01", "young_trees"): ("number", "whole_number"),
    ("MEM-01", "shares"): ("number", "whole_number"),
    ("MEM-02", "shares"): ("number", "whole_number"),
    ("MEM-03", "shares"): ("number", "whole_number"),
    ("FRM-01", "seedlings"): ("number", "whole_number"),
    ("MKT-03", "pack_size"): ("number", "whole_number"),
    ("FIN-01", "fiscal_year"): ("number", "whole_number"),
}


def _retype(apps, *, backwards: bool) -> None:
    RequestField = apps.get_model("requests_app", "RequestField")
    for (code, key), (seeded, checked) in RETYPED.items():
        before, after = (checked, seeded) if backwards else (seeded, checked)
        RequestField.objects.filter(request_type__code=code, key=key, field_type=before).update(field_type=after)


def forward(apps, schema_editor):
    _retype(apps, backwards=False)


def backward(apps, schema_editor):
    _retype(apps, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0006_add_checked_field_types")]

    operations = [migrations.RunPython(forward, backward)]
