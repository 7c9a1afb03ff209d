"""Forms of the duplicates review pages: thin, the services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import SCORE_BAND_CHOICES, PairSource, PairStatus

NOTE_WIDGET = forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"})
SELECT = {"class": "form-select form-select-sm"}


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *PairStatus.choices],
        widget=forms.Select(attrs=SELECT),
    )
    band = forms.ChoiceField(
        label=_("Score"),
        required=False,
        choices=[("", _("Any score")), *SCORE_BAND_CHOICES],
        widget=forms.Select(attrs=SELECT),
    )
    source = forms.ChoiceField(
        label=_("Found by"),
        required=False,
        choices=[("", _("Any")), *PairSource.choices],
        widget=forms.Select(attrs=SELECT),
    )
    mission = forms.ChoiceField(
        label=_("Mission"), required=False, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, data=None, *args, missions=(), **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = PairStatus.OPEN  # the queue: what waits for a decision
        super().__init__(data, *args, **kwargs)
        self.fields["status"].initial = PairStatus.OPEN
        self.fields["mission"].choices = [("", _("All my missions"))] + [
            (str(m.pk), m.name) for m in missions
        ]
        if len(missions) < 2:
            self.fields["mission"].widget = forms.HiddenInput()

    def filters(self) -> dict:
        """The valid filters; status defaults to "open" (the queue), "" for any when asked."""
        if not self.is_bound:
            return {"status": PairStatus.OPEN}
        if not self.is_valid():
            return {"status": PairStatus.OPEN}
        d = self.cleaned_data
        return {
            "status": d["status"] or None,
            "band": d["band"] or None,
            "source": d["source"] or None,
            "mission": d["mission"] or None,
        }


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why are they different people?"),
        required=False,
        max_length=2000,
        widget=NOTE_WIDGET,
        help_text=_("For example: brothers, checked with the family; different photos."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        label=_("Keep this record"),
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    version_a = forms.IntegerField(widget=forms.HiddenInput)
    version_b = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=NOTE_WIDGET)
    confirm = forms.BooleanField(
        label=_(
            "I have checked that these two records are the same person. Everything recorded "
            "for the other record moves to the one kept."
        ),
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pair is not None:
            self.fields["survivor"].choices = [
                (pair.person_a_id, str(pair.person_a)),
                (pair.person_b_id, str(pair.person_b)),
            ]


class UndoForm(forms.Form):
    note = forms.CharField(
        label=_("Why undo the merge?"), required=False, max_length=2000, widget=NOTE_WIDGET
    )
    confirm = forms.BooleanField(
        label=_("Give the merged record back everything the merge moved."),
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class RunForm(forms.Form):
    mission = forms.TypedChoiceField(
        label=_("Mission"), coerce=int, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, missions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [(m.pk, m.name) for m in missions]
