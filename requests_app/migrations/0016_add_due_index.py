from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0012_index_for_governorate_filter'),
        ('requests_app', '0015_index_for_governorate_filter'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='servicerequest',
            index=models.Index(fields=['department', 'due_date', 'id'], name='request_due_idx'),
        ),
    ]
