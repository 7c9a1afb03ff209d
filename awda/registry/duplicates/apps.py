from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "awda.registry.duplicates"
    label = "duplicates"
    verbose_name = _("Duplicate persons")

    def ready(self):
        # The case timeline shows the merge events written on the cases a merge touched.
        from awda.cases.views.timeline import register_actions

        register_actions(
            {
                "duplicates.case.person_merged": (
                    _("Duplicate person merged"),
                    "bi-union",
                    "primary",
                ),
                "duplicates.case.merge_undone": (
                    _("Merge of duplicate persons undone"),
                    "bi-arrow-counterclockwise",
                    "warning",
                ),
            }
        )
