"""The retention section of the settings page: how long the organization keeps its data."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from slm_platform.core.errors import ApplicationError
from slm_platform.dashboard.access import capability_required
from slm_platform.retention.models import PERIODS
from slm_platform.retention.selectors import retention_policy_for
from slm_platform.retention.services import MAX_DAYS, retention_policy_update

LABELS = {
    "job_inputs_days": ("Job inputs", "Item texts and uploaded files of finished jobs; "
                        "the predictions stay."),
    "job_results_days": ("Job results", "Finished jobs as a whole."),
    "conversations_days": ("Conversations", "Chat conversations with no message for this long."),
    "dataset_uploads_days": ("Dataset uploads", "Versions no model, training run or review "
                             "used, except each dataset's newest."),
}


class RetentionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name in PERIODS:
            label, help_text = LABELS[name]
            self.fields[name] = forms.IntegerField(
                required=False, min_value=1, max_value=MAX_DAYS, label=f"{label} (days)",
                help_text=f"{help_text} Empty keeps them forever.")

    @classmethod
    def for_organization(cls, organization) -> "RetentionForm":
        return cls(initial=retention_policy_for(organization=organization).as_dict())


@require_POST
@capability_required("settings")
def retention_save(request):
    from slm_platform.dashboard.views_admin import _settings_render

    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            retention_policy_update(organization=request.organization,
                                    changes=form.cleaned_data, actor=request.actor)
        except ApplicationError as exc:
            form.add_error(exc.details.get("field"), exc.message)
        else:
            messages.success(request, "Retention saved.")
            return redirect("dashboard:settings")
    return _settings_render(request, status=400, retention_form=form)
