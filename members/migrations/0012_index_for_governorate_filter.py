from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0011_onetimecode_drawn_in_the_worker'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['governorate', 'id'], name='member_governorate_idx'),
        ),
    ]
