from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.cases.choices import Status
from awda.registry.api.serializers import IdentityDocumentSerializer
from awda.registry.choices import Sex

from .. import selectors
from ..choices import (
    SCORE_BAND_CHOICES,
    ClosedReason,
    ItemAction,
    PairSource,
    PairStatus,
    RunPhase,
    RunStatus,
    RunTrigger,
)


class PairFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=PairStatus.choices,
        required=False,
        help_text=_("Default: open (the pairs waiting for a decision)."),
    )
    band = serializers.ChoiceField(
        choices=SCORE_BAND_CHOICES,
        required=False,
        help_text=_("likely: at or above the engine's likely threshold; possible: below it."),
    )
    source = serializers.ChoiceField(choices=PairSource.choices, required=False)
    mission = serializers.IntegerField(required=False, help_text=_("One of your missions."))


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable code, e.g. name_variant."))
    params = serializers.DictField(help_text=_('Values of the message, e.g. {"a": "Jallow"}.'))
    text = serializers.CharField(help_text=_("The reason as a sentence, translated."))
    weight = serializers.FloatField(help_text=_("> 0 speaks for a match, < 0 against."))


class PairPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    full_name = serializers.CharField()
    other_names = serializers.CharField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField(allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    dob_estimated = serializers.BooleanField()
    nationality = serializers.CharField()
    phone = serializers.CharField()
    registered_by_office = serializers.IntegerField(source="registered_by_office_id")
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    version = serializers.IntegerField()


class PersonCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case_id")
    number = serializers.CharField(source="case.number")
    status = serializers.ChoiceField(source="case.status", choices=Status.choices)
    office = serializers.CharField(source="case.office.name")
    relationship = serializers.CharField()
    is_principal = serializers.BooleanField()


class PairPersonDetailSerializer(PairPersonSerializer):
    name_arabic = serializers.CharField()
    office_name = serializers.CharField(source="registered_by_office.name")
    documents = IdentityDocumentSerializer(many=True, source="documents.all")
    cases = PersonCaseSerializer(
        many=True,
        source="memberships",
        help_text=_("The cases you may see that the person is a member of."),
    )
    hidden_cases = serializers.IntegerField(
        help_text=_(
            "How many other cases (of another mission) the person is a member of: a merge by you "
            "is refused with 400 cases_out_of_scope while there is any."
        )
    )


class PairSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    mission = serializers.IntegerField(source="mission_id", read_only=True)
    person_a = PairPersonSerializer(read_only=True)
    person_b = PairPersonSerializer(read_only=True)
    score = serializers.FloatField(read_only=True, help_text=_("In [0, 1]."))
    reasons = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=PairStatus.choices, read_only=True)
    closed_reason = serializers.ChoiceField(
        choices=[("", ""), *ClosedReason.choices], read_only=True
    )
    source = serializers.ChoiceField(choices=PairSource.choices, read_only=True)
    run = serializers.IntegerField(source="run_id", read_only=True, allow_null=True)
    detected_at = serializers.DateTimeField(read_only=True)
    last_seen_at = serializers.DateTimeField(read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, pair):
        return selectors.pair_reasons(pair)


class MergeFillSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(source="survivor.pk")
    merged = serializers.IntegerField(source="merged.pk")
    filled = serializers.DictField()


class PairDetailSerializer(PairSerializer):
    persons = serializers.SerializerMethodField(
        help_text=_("Both persons side by side (a, then b), with documents and cases.")
    )
    shared_cases = serializers.SerializerMethodField(
        help_text=_("Numbers of the cases both are members of (a merge is refused).")
    )
    merge = serializers.SerializerMethodField(help_text=_("The merge made from this pair."))
    merge_fill = serializers.SerializerMethodField(
        help_text=_(
            "For each choice of the person kept (a, then b): the empty details a merge would fill "
            "from the other person, by field, as the merge page shows them before confirming."
        )
    )

    @extend_schema_field(MergeFillSerializer(many=True))
    def get_merge_fill(self, pair):
        return MergeFillSerializer(selectors.merge_fills(self.context["persons"]), many=True).data

    @extend_schema_field(PairPersonDetailSerializer(many=True))
    def get_persons(self, pair):
        return PairPersonDetailSerializer(self.context["persons"], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_shared_cases(self, pair):
        return [c.number for c in selectors.shared_cases(self.context["persons"])]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_merge(self, pair):
        merge = selectors.pair_merge(pair)
        return merge.pk if merge else None


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(
        help_text=_("The pair's version you read (409 stale_edit if it changed).")
    )


class MergeCreateSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(help_text=_("The id of the person kept (one of the pair)."))
    versions = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_(
            'The version you read of each person, by id: {"12": 3, "57": 1}. A stale one is '
            "refused with 409 stale_edit."
        ),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MergedItemSerializer(serializers.Serializer):
    model = serializers.CharField(source="model_label", help_text=_('e.g. "cases.CaseMember".'))
    object_pk = serializers.CharField()
    field = serializers.CharField(source="field_name")
    action = serializers.ChoiceField(choices=ItemAction.choices)


class MergeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mission = serializers.IntegerField(source="mission_id")
    pair = serializers.IntegerField(source="pair_id")
    survivor = PairPersonSerializer()
    merged = PairPersonSerializer()
    merged_by = serializers.IntegerField(source="merged_by_id")
    merged_at = serializers.DateTimeField()
    aliases_added = serializers.ListField(child=serializers.CharField())
    survivor_filled = serializers.DictField(
        read_only=True,
        help_text=_(
            "The survivor's empty details the merge filled from the merged person, by field: "
            '{"date_of_birth": "1990-03-02", "phone": "+212 600 11 22 33"}. An undo empties '
            "those still as filled."
        ),
    )
    items = serializers.SerializerMethodField(
        help_text=_(
            "Every record the merge moved or whose link it removed, except those of a restricted "
            "category you may not see (counted in restricted_items)."
        )
    )
    restricted_items = serializers.SerializerMethodField(
        help_text=_(
            "How many records of a restricted category you may not see the merge moved too "
            "(neither their kind nor their id is shown)."
        )
    )
    undone_at = serializers.DateTimeField(allow_null=True)
    undone_by = serializers.IntegerField(source="undone_by_id", allow_null=True)
    undo_note = serializers.CharField()

    def _items(self, merge):
        cache = self.context.setdefault("merge_items", {})
        if merge.pk not in cache:
            cache[merge.pk] = selectors.merge_items_for(merge, self.context["request"].user)
        return cache[merge.pk]

    @extend_schema_field(MergedItemSerializer(many=True))
    def get_items(self, merge):
        return MergedItemSerializer(self._items(merge)[0], many=True).data

    @extend_schema_field(serializers.IntegerField())
    def get_restricted_items(self, merge):
        return self._items(merge)[1]


class UndoSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RunCreateSerializer(serializers.Serializer):
    mission = serializers.IntegerField(help_text=_("A mission where you may decide."))


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mission = serializers.IntegerField(source="mission_id")
    trigger = serializers.ChoiceField(choices=RunTrigger.choices)
    requested_by = serializers.IntegerField(source="requested_by_id", allow_null=True)
    status = serializers.ChoiceField(choices=RunStatus.choices)
    phase = serializers.ChoiceField(choices=[("", ""), *RunPhase.choices])
    progress = serializers.IntegerField(help_text=_("Persons read so far."))
    total = serializers.IntegerField(allow_null=True, help_text=_("Persons to read."))
    percent = serializers.IntegerField()
    persons_compared = serializers.IntegerField()
    pairs_found = serializers.IntegerField()
    pairs_new = serializers.IntegerField()
    pairs_updated = serializers.IntegerField()
    pairs_closed = serializers.IntegerField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
