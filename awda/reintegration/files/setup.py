"""Registrations of this area with the case page and the timeline (tabs, event labels), and its
workflow effect, called from ReintegrationConfig.ready."""

from django.utils.translation import gettext_lazy as _


def register():
    from awda.cases import workflow
    from awda.cases.views.detail import register_tab
    from awda.cases.views.timeline import register_actions, register_value_labels

    from ..choices import ActivityStatus, AssessmentKind, Level, VisitMode, VisitStatus
    from . import services, views

    register_tab(
        "reintegration",
        _("Reintegration"),
        "bi-house-heart",
        builder=views.tab_reintegration,
        template="reintegration/files/tab_reintegration.html",
        action="reintegration.view",
        before="timeline",
    )
    register_tab(
        "monitoring",
        _("Monitoring"),
        "bi-calendar-check",
        builder=views.tab_monitoring,
        template="reintegration/files/tab_monitoring.html",
        action="reintegration.view",
        before="timeline",
    )
    # Visits still planned are cancelled when the case is closed (docs/decisions/0018).
    workflow.register_effect(services.on_case_closed)

    for name, label, choices in (
        ("assessment_kind", _("assessment"), AssessmentKind),
        ("assessment_level", _("level"), Level),
        ("visit_mode", _("visit or call"), VisitMode),
        ("activity_status", _("business or activity"), ActivityStatus),
    ):
        labels = dict(choices.choices)
        register_value_labels(name, label, lambda v, labels=labels: labels.get(v, v))
    statuses = dict(VisitStatus.choices)
    register_value_labels("visit_status", _("visit"), lambda v: statuses.get(v, v))
    register_value_labels("plan_due_on", _("plan due on"), str)
    register_value_labels("received_on", _("received on"), str)
    register_value_labels("assessed_on", _("assessed on"), str)
    register_value_labels("conducted_on", _("conducted on"), str)
    register_value_labels("due_on", _("due on"), str)
    register_value_labels("re_migrated", _("re-migrated"), lambda v: _("yes") if v else _("no"))
    register_actions(
        {
            services.HANDOVER_ACCEPTED: (_("Handover accepted"), "bi-box-arrow-in-down", "success"),
            services.FILE_ASSIGNED: (_("Reintegration officer changed"), "bi-person", "secondary"),
            services.RECEPTION_RECORDED: (_("Reception recorded"), "bi-door-open", "primary"),
            services.RECEPTION_UPDATED: (_("Reception corrected"), "bi-pencil", "secondary"),
            services.ASSESSMENT_RECORDED: (
                _("Reintegration assessment recorded"),
                "bi-clipboard-check",
                "primary",
            ),
            services.ASSESSMENT_UPDATED: (
                _("Reintegration assessment corrected"),
                "bi-pencil",
                "secondary",
            ),
            services.SCHEDULE_GENERATED: (
                _("Monitoring visits planned"),
                "bi-calendar-check",
                "primary",
            ),
            services.VISIT_ADDED: (_("Monitoring visit added"), "bi-calendar-plus", "primary"),
            services.VISIT_RESCHEDULED: (
                _("Monitoring visit rescheduled"),
                "bi-calendar-event",
                "secondary",
            ),
            services.VISIT_CANCELLED: (_("Monitoring visit cancelled"), "bi-calendar-x", "danger"),
            services.VISIT_RECORDED: (
                _("Monitoring visit recorded"),
                "bi-calendar2-check",
                "success",
            ),
        }
    )
