from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0012_index_for_governorate_filter'),
        ('requests_app', '0014_add_status_reference_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='servicerequest',
            index=models.Index(condition=models.Q(('status__in', ['submitted', 'under_review', 'returned_to_member', 'in_progress', 'pending_board_decision'])), fields=['department', 'member'], name='request_open_member_idx'),
        ),
    ]
