from awda.screening.trafficking.choices import INDICATOR_CODES, ExploitationType
from awda.screening.trafficking.models import TraffickingInterview


def test_one_boolean_column_per_indicator():
    for code in INDICATOR_CODES:
        field = TraffickingInterview._meta.get_field(code)
        assert field.get_internal_type() == "BooleanField" and field.default is False
    assert set(INDICATOR_CODES) == {
        "deceptive_recruitment",
        "deception_about_conditions",
        "documents_confiscated",
        "debt_bondage",
        "movement_controlled",
        "threats_or_violence",
        "isolation",
    }


def test_exploitation_types_of_the_issue():
    assert set(ExploitationType.values) == {
        "sexual",
        "forced_labour",
        "domestic_servitude",
        "forced_begging",
        "forced_criminality",
        "organ_removal",
        "forced_marriage",
        "other",
    }
