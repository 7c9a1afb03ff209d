"""Registrations of this area with the case page and the timeline (tabs, event labels), called
from ReintegrationConfig.ready."""

from django.utils.translation import gettext_lazy as _


def register():
    from awda.cases.views.detail import register_tab
    from awda.cases.views.timeline import register_actions, register_value_labels

    from ..choices import SurveyKind
    from .views import tab_surveys

    register_tab(
        "surveys",
        _("Sustainability"),
        "bi-graph-up",
        builder=tab_surveys,
        template="reintegration/surveys/tab.html",
        action="reintegration.view",
        before="timeline",
    )
    kinds = dict(SurveyKind.choices)
    register_value_labels("survey_kind", _("survey"), lambda v: kinds.get(v, v))
    register_value_labels("composite", _("composite score"), str)
    register_value_labels("instrument", _("instrument"), str)
    register_actions(
        {
            "reintegration.survey.recorded": (
                _("Sustainability survey recorded"),
                "bi-graph-up",
                "primary",
            ),
            "reintegration.survey.voided": (
                _("Sustainability survey voided"),
                "bi-x-circle",
                "danger",
            ),
            "reintegration.instrument.loaded": (
                _("Survey instrument loaded"),
                "bi-upload",
                "secondary",
            ),
        }
    )
