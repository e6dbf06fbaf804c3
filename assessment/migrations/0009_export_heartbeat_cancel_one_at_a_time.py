"""Exports get a heartbeat (a job under way whose worker died can be told apart and replaced), can
be cancelled (`cancelled_by`, status "cancelled"), and "one export under way per organisation"
becomes a database constraint. Before the constraint, organisations that raced into several
queued or running jobs keep the newest; the others are marked failed.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ACTIVE = ["queued", "running"]


def _keep_one_export_under_way(apps, schema_editor):
    ExportJob = apps.get_model("assessment", "ExportJob")
    seen = set()
    for job in ExportJob.objects.filter(status__in=ACTIVE).order_by("-created_at", "-pk"):
        if job.organization_id in seen:
            job.status = "failed"
            job.error = "stopped: another export of this organisation was under way"
            job.save(update_fields=["status", "error"])
        seen.add(job.organization_id)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0008_team_snapshot_typed"),
        ("core", "0002_organization_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="heartbeat_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("done", "Ready"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="queued",
                max_length=20,
            ),
        ),
        migrations.RunPython(_keep_one_export_under_way, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="exportjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running"])),
                fields=("organization",),
                name="one_export_under_way_per_organization",
            ),
        ),
    ]
