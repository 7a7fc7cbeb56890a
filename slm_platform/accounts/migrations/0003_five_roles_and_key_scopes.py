"""Five roles instead of admin and member, and API keys that carry a role and may expire.

Every `member` becomes an `analyst`. A member could predict, run bulk jobs and read their
results, tasks and models; of the new roles, analyst keeps exactly that everyday work and grants
nothing a member could not do. A member could also upload datasets and start training runs
through the API, review predictions, answer handed-off conversations and read the audit log:
each of these now belongs to a role of its own (ml_engineer, reviewer, auditor), which an admin
gives where it is wanted. Mapping to ml_engineer instead would have let every former member
activate and compress models and change routing, which no member could; a migration must not
widen anyone's powers.

Each existing key takes its holder's role (after the mapping), so no key does more than before;
none expires."""

from django.db import migrations, models

ROLES = [("admin", "Admin"), ("ml_engineer", "ML engineer"), ("analyst", "Analyst"),
         ("reviewer", "Reviewer"), ("auditor", "Auditor")]


def members_to_analysts(apps, schema_editor):
    apps.get_model("accounts", "Membership").objects.filter(role="member") \
        .update(role="analyst")


def analysts_to_members(apps, schema_editor):
    # Back to two roles: admins stay admins, every other role was a member.
    apps.get_model("accounts", "Membership").objects.exclude(role="admin") \
        .update(role="member")


def keys_take_their_holders_role(apps, schema_editor):
    ApiKey = apps.get_model("accounts", "ApiKey")
    Membership = apps.get_model("accounts", "Membership")
    for role in Membership.objects.values_list("role", flat=True).distinct():
        holders = Membership.objects.filter(role=role).values("user_id")
        ApiKey.objects.filter(user_id__in=holders).update(role=role)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_two_factor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(choices=ROLES, default="analyst", max_length=16),
        ),
        migrations.RunPython(members_to_analysts, analysts_to_members),
        migrations.AddField(
            model_name="apikey",
            name="role",
            field=models.CharField(choices=ROLES, default="analyst", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apikey",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(keys_take_their_holders_role, migrations.RunPython.noop),
    ]
