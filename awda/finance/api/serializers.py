from rest_framework import serializers

from ..models import Donor, Project


class DonorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donor
        fields = ["id", "name", "short_name", "country", "iati_identifier"]
        read_only_fields = fields


class ProjectSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    donors = DonorSerializer(many=True, read_only=True)
    eligible_office_ids = serializers.PrimaryKeyRelatedField(
        source="eligible_offices", many=True, read_only=True
    )
    eligible_nationalities = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "mission",
            "donors",
            "start_date",
            "end_date",
            "currency",
            "eligible_office_ids",
            "eligible_nationalities",
            "is_active",
        ]
        read_only_fields = fields
