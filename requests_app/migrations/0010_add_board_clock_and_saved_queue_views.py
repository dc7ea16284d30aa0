import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BOARD_WORKING_DAYS = 22  # requests_app.sla.BOARD_WORKING_DAYS when this migration was written
WEEKEND = {4, 5}


def board_clock_for_requests_already_waiting(apps, schema_editor):
    """Requests already waiting for the board get the board's clock from the day they were referred."""
    ServiceRequest = apps.get_model("requests_app", "ServiceRequest")
    TimelineEvent = apps.get_model("requests_app", "TimelineEvent")
    Holiday = apps.get_model("requests_app", "Holiday")
    holidays = set(Holiday.objects.values_list("date", flat=True))
    for service_request in ServiceRequest.objects.filter(status="pending_board_decision", board_due_date__isnull=True):
        referral = (
            TimelineEvent.objects.filter(service_request=service_request, to_status="pending_board_decision")
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        day = timezone.localdate(referral) if referral else service_request.due_date
        counted = 0
        while counted < BOARD_WORKING_DAYS:
            day += datetime.timedelta(days=1)
            if day.weekday() not in WEEKEND and day not in holidays:
                counted += 1
        service_request.board_due_date = day
        service_request.save(update_fields=["board_due_date"])


class Migration(migrations.Migration):

    dependencies = [
        ('requests_app', '0009_move_referral_notes_to_board_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='servicerequest',
            name='board_due_date',
            field=models.DateField(blank=True, null=True, verbose_name='board decision expected'),
        ),
        migrations.CreateModel(
            name='SavedQueueView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='name')),
                ('query', models.CharField(blank=True, max_length=1000, verbose_name='filters')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_queue_views', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'saved queue view',
                'verbose_name_plural': 'saved queue views',
                'ordering': ['name', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('owner', 'name'), name='one_saved_view_name_per_owner')],
            },
        ),
        migrations.RunPython(board_clock_for_requests_already_waiting, migrations.RunPython.noop),
    ]
