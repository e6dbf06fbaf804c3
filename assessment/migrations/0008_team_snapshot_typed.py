"""Team snapshots become `TeamSnapshot.to_dict()` ({"flagged": [...]}) instead of a bare list, and
submitted team assessments from before snapshots existed (migration 0006) get one, so the report
never reads live answers. A reopened draft gets none: its answers may have changed since its
submission, and its next submission takes the snapshot.

The rules below are a frozen copy of assessment.scoring.consensus at the time of writing: a
migration must not change when the application code does.
"""

from django.db import migrations

POINTS = {"0": 0.0, "0.5": 0.5, "1": 1.0}


def _flagged(values):
    scored = [POINTS[v] for v in values if v in POINTS]
    if len(scored) > 1 and max(scored) - min(scored) >= 0.5:
        return True, max(scored) - min(scored)
    spread = max(scored) - min(scored) if len(scored) > 1 else 0.0
    return ("na" in values and bool(scored)), spread


def _display_name(user):
    name = f"{user.first_name} {user.last_name}".strip()
    return name or user.username


def _snapshot(apps, assessment):
    Respondent = apps.get_model("assessment", "Respondent")
    Answer = apps.get_model("assessment", "Answer")
    FinalAnswer = apps.get_model("assessment", "FinalAnswer")
    content = assessment.bank.content
    role_names = {role["code"]: role["name"] for role in content["roles"]}
    respondents = list(
        Respondent.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by("-is_lead", "created_at", "pk")
    )
    given = {
        (a.respondent_id, a.question_code): a
        for a in Answer.objects.filter(respondent__assessment=assessment).exclude(value="")
    }
    finals = {f.question_code: f for f in FinalAnswer.objects.filter(assessment=assessment)}
    rows = []
    for question in content["questions"]:
        code = question["code"]
        positions = []
        for number, respondent in enumerate(respondents, start=1):
            answer = given.get((respondent.pk, code))
            if answer is not None:
                positions.append(
                    {
                        "number": number,
                        "name": _display_name(respondent.user),
                        "role": role_names.get(
                            respondent.role, "lead" if respondent.is_lead else ""
                        ),
                        "value": answer.value,
                        "note": answer.note,
                    }
                )
        flagged, spread = _flagged([p["value"] for p in positions])
        if flagged:
            final = finals.get(code)
            rows.append(
                (
                    -spread,
                    {
                        "code": code,
                        "answers": positions,
                        "final": final.value if final else None,
                        "why": (final.reason or final.note) if final else "",
                    },
                )
            )
    rows.sort(key=lambda row: row[0])  # stable: most disputed first, then in bank order
    return {"flagged": [row for _, row in rows]}


def forwards(apps, schema_editor):
    Assessment = apps.get_model("assessment", "Assessment")
    Respondent = apps.get_model("assessment", "Respondent")
    FinalAnswer = apps.get_model("assessment", "FinalAnswer")
    scored = Assessment.objects.filter(result__isnull=False).select_related("bank")
    for assessment in scored.defer("result", "summary").iterator(chunk_size=200):
        snapshot = assessment.team_snapshot
        if isinstance(snapshot, list):
            assessment.team_snapshot = {"flagged": snapshot}
        elif snapshot is None and assessment.status == "submitted":
            team = (
                Respondent.objects.filter(assessment=assessment).count() > 1
                or FinalAnswer.objects.filter(assessment=assessment).exists()
            )
            if not team:
                continue
            assessment.team_snapshot = _snapshot(apps, assessment)
        else:
            continue
        assessment.save(update_fields=["team_snapshot"])


def backwards(apps, schema_editor):
    Assessment = apps.get_model("assessment", "Assessment")
    for assessment in Assessment.objects.filter(team_snapshot__isnull=False).iterator():
        if isinstance(assessment.team_snapshot, dict):
            assessment.team_snapshot = assessment.team_snapshot["flagged"]
            assessment.save(update_fields=["team_snapshot"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0007_audit_kinds")]

    operations = [migrations.RunPython(forwards, backwards)]
