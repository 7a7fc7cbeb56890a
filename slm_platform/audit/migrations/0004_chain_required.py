# Every event is chained now: its sequence and hash are required, unique per organization.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_chain_existing_events'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(help_text="Place in the organization's chain."),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='row_hash',
            field=models.CharField(help_text='SHA-256 of the content and previous_hash.', max_length=64),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('organization', 'sequence'), name='audit_event_unique_sequence'),
        ),
    ]
