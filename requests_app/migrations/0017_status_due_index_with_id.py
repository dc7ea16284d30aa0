from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0013_add_data_export'),
        ('requests_app', '0016_add_due_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='servicerequest',
            name='request_queue_idx',
        ),
        migrations.AddIndex(
            model_name='servicerequest',
            index=models.Index(fields=['department', 'status', 'due_date', 'id'], name='request_status_due_idx'),
        ),
    ]
