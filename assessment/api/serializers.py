"""What the API sends and takes, field by field. Output serializers read model instances the
selectors return; input serializers only check shapes and limits, the services decide the rest."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from assessment.models import (
    ACTION_NOTES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Action,
    Assessment,
    AssessmentStatus,
    QuestionBank,
)
from core.models import REASSESSMENT_CADENCES, Membership, Organization, Team
from core.selectors import display_name

ONE_LINE = r"^[^\x00-\x1f\x7f]*$"


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    role = serializers.SerializerMethodField(help_text="Your role in it.")

    class Meta:
        model = Organization
        fields = ["slug", "name", "role", "created_at"]

    def get_role(self, organization: Organization) -> str:
        roles: dict[int, str] = self.context.get("roles", {})
        return roles.get(organization.pk, "")


class OrganizationCreateSerializer(serializers.Serializer[Any]):
    name = serializers.RegexField(ONE_LINE, max_length=200)


class MemberSerializer(serializers.ModelSerializer[Membership]):
    user_id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["user_id", "username", "name", "role"]

    def get_name(self, membership: Membership) -> str:
        return display_name(membership.user)


class TeamSerializer(serializers.ModelSerializer[Team]):
    organization: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id",
            "organization",
            "name",
            "description",
            "reassessment_months",
            "archived",
            "created_at",
        ]

    def get_archived(self, team: Team) -> bool:
        return team.archived_at is not None


class TeamCreateSerializer(serializers.Serializer[Any]):
    name = serializers.RegexField(ONE_LINE, max_length=200)
    description = serializers.CharField(max_length=1000, required=False, default="")
    reassessment_months = serializers.ChoiceField(
        choices=REASSESSMENT_CADENCES, required=False, default=3
    )


class BankSerializer(serializers.ModelSerializer[QuestionBank]):
    key = serializers.CharField(read_only=True, help_text="slug@version, as answers files name it")

    class Meta:
        model = QuestionBank
        fields = ["key", "slug", "version", "title", "question_count"]


class QuestionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    phase = serializers.CharField()
    level = serializers.IntegerField()
    title = serializers.CharField()
    statement = serializers.CharField()
    critical = serializers.BooleanField()
    allow_na = serializers.BooleanField()


class NamedSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class LevelSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    name = serializers.CharField()


class BankDetailSerializer(BankSerializer):
    phases = NamedSerializer(many=True, source="bank.phases")
    levels = LevelSerializer(many=True, source="bank.levels")
    roles = NamedSerializer(many=True, source="bank.roles")
    questions = QuestionSerializer(many=True, source="bank.questions")

    class Meta(BankSerializer.Meta):
        fields = [*BankSerializer.Meta.fields, "phases", "levels", "roles", "questions"]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    team: serializers.PrimaryKeyRelatedField[Team] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    organization = serializers.CharField(source="team.organization.slug", read_only=True)
    bank = serializers.CharField(source="bank.key", read_only=True)
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    summary = serializers.JSONField(
        read_only=True, help_text="Levels and percents of the last submission; null before."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "team",
            "organization",
            "label",
            "bank",
            "status",
            "targets",
            "composition",
            "created_at",
            "submitted_at",
            "engine_version",
            "summary",
        ]


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    team = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    label = serializers.RegexField(ONE_LINE, max_length=100)  # type: ignore[assignment]
    bank = serializers.CharField(
        max_length=120, required=False, default="", help_text="slug@version; the newest if left out"
    )
    answers_file = serializers.JSONField(
        required=False,
        help_text="An answers file (docs/scoring.md) as JSON: its bank, answers, team and "
        "targets become the new assessment's.",
    )


class AnswerSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    value = serializers.CharField(help_text='0, 0.5, 1, na or unknown; "" while only text')
    evidence = serializers.CharField()
    note = serializers.CharField()
    reason = serializers.CharField()


class AnswersWriteSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text='Question code -> its answer, as in an answers file: 1, or {"value": "na", '
        '"reason": "..."}. Every problem is listed; nothing is saved unless all are fixed.',
        allow_empty=False,
    )


class ReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, required=False, default="")


class ActionSerializer(serializers.ModelSerializer[Action]):
    owner = serializers.SerializerMethodField(help_text="The owner's name, member or not.")
    owner_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "team",
            "source",
            "title",
            "practices",
            "owner",
            "owner_id",
            "owner_name",
            "due_on",
            "status",
            "dropped_reason",
            "notes",
            "done_at",
            "created_at",
            "updated_at",
        ]
        # `team` and `source` (the assessment it came from, or null) as ids.
        read_only_fields = fields

    def get_owner(self, action: Action) -> str:
        return display_name(action.owner) if action.owner is not None else action.owner_name


class ActionWriteSerializer(serializers.Serializer[Any]):
    title = serializers.RegexField(ONE_LINE, max_length=TITLE_MAX_LENGTH)
    practices = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=20, required=False, default=list
    )
    owner_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    owner_name = serializers.RegexField(
        ONE_LINE, max_length=120, required=False, default="", allow_blank=True
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=Action.Status.choices, default=Action.Status.PLANNED)
    dropped_reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, default="", allow_blank=True
    )
    notes = serializers.CharField(
        max_length=ACTION_NOTES_MAX_LENGTH, required=False, default="", allow_blank=True
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        members: set[int] = self.context["members"]
        known: set[str] = self.context["known_codes"]
        problems: dict[str, str] = {}
        if data.get("owner_id") is not None and data["owner_id"] not in members:
            problems["owner_id"] = "Not a member of this organisation."
        if data.get("owner_id") is not None and data.get("owner_name"):
            problems["owner_name"] = "A member or a name, not both: an action has one owner."
        unknown = [c for c in data.get("practices", []) if c.upper() not in known]
        if unknown:
            problems["practices"] = f"Not a practice of this team's bank: {', '.join(unknown[:5])}."
        if data.get("status") == Action.Status.DROPPED and not data.get("dropped_reason"):
            problems["dropped_reason"] = "Say why it was dropped."
        if problems:
            raise serializers.ValidationError(problems)
        data["practices"] = list(dict.fromkeys(c.upper() for c in data.get("practices", [])))
        return data


class AcceptSerializer(serializers.Serializer[Any]):
    practices = serializers.ListField(
        child=serializers.CharField(max_length=20), min_length=1, max_length=100
    )


def membership_roles(memberships: list[Membership]) -> dict[int, str]:
    return {m.organization_id: m.role for m in memberships}
