# The hash chain's columns and head (nullable until 0003 fills them), and foreign keys without
# database constraints (see AuditEvent.organization).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('audit', '0001_initial'),
        ('core', '0002_custom_task'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('organization', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='+', serialize=False, to='core.organization')),
                ('last_sequence', models.PositiveBigIntegerField(default=0)),
                ('last_hash', models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_api_key_ref',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_user_ref',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(blank=True, help_text='row_hash of the previous event; empty for the first.', max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='row_hash',
            field=models.CharField(blank=True, help_text='SHA-256 of the content and previous_hash.', max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(null=True, help_text="Place in the organization's chain."),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor_api_key',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.apikey'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor_user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='organization',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.organization'),
        ),
    ]
