# Chain the events written before the chain existed: per organization in (created_at, id)
# order, the same hashing as audit_record (slm_platform/audit/chain.py). Every organization
# gets its chain head here, so no later audit row has to create one.

from django.db import migrations

from slm_platform.audit.chain import chain_unchained


def chain_existing(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    organization_model = apps.get_model("core", "Organization")
    chain_unchained(event_model=event_model, head_model=head_model)
    with_head = set(head_model.objects.values_list("organization_id", flat=True))
    head_model.objects.bulk_create([
        head_model(organization_id=pk)
        for pk in organization_model.objects.values_list("pk", flat=True) if pk not in with_head
    ])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_chain_columns'),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
