from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0010_add_withdrawal_date_and_refund_due'),
        ('requests_app', '0013_mark_share_transfer_and_withdrawal_services'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='servicerequest',
            index=models.Index(fields=['department', 'status', 'reference_no'], name='request_status_reference_idx'),
        ),
    ]
