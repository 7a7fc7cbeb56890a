"""The dashboard's audit log and settings: every audit event of the organization (filtered,
paginated, exported as CSV), its members and their roles, API keys and its webhook.

The audit log needs `audit.read`. Any member opens the settings page, keeps API keys of their
own there (with a role no more than theirs) and sees what their role may see; members,
everybody's keys, the webhook and retention need `members`, `keys` and `settings`
(accounts/roles.py). Each change goes through the service that records its audit event. A new
API key or webhook secret is kept in the session only until the next render of the settings
page, which shows it once and takes it out."""

import csv
import datetime
import json

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from slm_platform.accounts import services as account_services
from slm_platform.accounts.models import Role
from slm_platform.accounts.selectors import api_keys_visible_to, members_of
from slm_platform.audit.selectors import audit_events_for_organization
from slm_platform.core.errors import ApplicationError, NotFound
from slm_platform.dashboard.access import can, capability_required, member_required
from slm_platform.dashboard.views_retention import RetentionForm
from slm_platform.jobs import webhooks
from slm_platform.jobs.models import OrganizationWebhook
from slm_platform.jobs.results import in_blocks, neutralise

EVENTS_PER_PAGE = 50
ISSUED_KEY = "dashboard.issued_api_key"
ROTATED_SECRET = "dashboard.webhook_secret"
CSV_COLUMNS = ["created_at", "actor", "action", "object_type", "object_id", "outcome",
               "latency_ms", "data"]


class DashboardForm(forms.Form):
    """Labels without a colon, like the rest of the dashboard; a field with an error points at
    its text (the template gives it id <field id>_error) for screen readers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = \
                    f"{self[name].auto_id}_error"


# Audit log ---------------------------------------------------------------------------------

class AuditFilterForm(DashboardForm):
    actor = forms.CharField(required=False, max_length=200,
                            help_text="Part of a name: alice, api_key:ab12, system")
    action = forms.CharField(required=False, max_length=64)
    object_type = forms.CharField(required=False, max_length=64, label="Object type")
    object_id = forms.CharField(required=False, max_length=64, label="Object id")
    since = forms.DateTimeField(required=False, label="From (UTC)", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    until = forms.DateTimeField(required=False, label="To (UTC)", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the range is before its start.")
        return cleaned


def audit_events_filtered(*, organization, filters: dict):
    """The organization's audit events matching the filter form's cleaned data, newest first.
    `until` given to the minute (as a datetime-local input sends it) includes that minute."""
    events = audit_events_for_organization(organization=organization,
                                           action=filters.get("action") or None)
    if filters.get("actor"):
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    if filters.get("since"):
        events = events.filter(created_at__gte=filters["since"])
    if until := filters.get("until"):
        if until.second == 0 and until.microsecond == 0:
            events = events.filter(created_at__lt=until + datetime.timedelta(minutes=1))
        else:
            events = events.filter(created_at__lte=until)
    return events


@capability_required("audit.read")
def audit_page(request):
    form = AuditFilterForm(request.GET)
    filtered = form.is_valid() and any(form.cleaned_data.values())
    page = None
    if form.is_valid():
        events = audit_events_filtered(organization=request.organization,
                                       filters=form.cleaned_data)
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        for event in page.object_list:
            event.data_text = json.dumps(event.data, ensure_ascii=False, sort_keys=True) \
                if event.data else ""
    return render(request, "dashboard/admin/audit.html", {
        "form": form, "page": page, "filtered": filtered,
    }, status=200 if form.is_valid() else 400)


class _Echo:
    """A file-like that hands back what csv.writer writes, one row at a time."""

    def write(self, value: str) -> str:
        return value


def _audit_csv(events):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so spreadsheet programs read the UTF-8 as UTF-8
    yield writer.writerow(CSV_COLUMNS)
    for event in events.select_related(None).iterator(chunk_size=2000):
        cells = [event.created_at.isoformat(), event.actor_label, event.action,
                 event.object_type, event.object_id, event.outcome,
                 "" if event.latency_ms is None else event.latency_ms,
                 json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else ""]
        yield writer.writerow([neutralise(cell) if isinstance(cell, str) else cell
                               for cell in cells])


@capability_required("audit.read")
def audit_export(request):
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()),
            content_type="text/plain; charset=utf-8")
    events = audit_events_filtered(organization=request.organization, filters=form.cleaned_data)
    response = StreamingHttpResponse(in_blocks(_audit_csv(events)),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = \
        f'attachment; filename="audit-{request.organization.slug}-{stamp}.csv"'
    return response


# Settings ----------------------------------------------------------------------------------

class MemberAddForm(DashboardForm):
    username = forms.CharField(max_length=150, validators=[
        get_user_model().username_validator])
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               strip=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ANALYST)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError("That username is taken.")
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("username") and cleaned.get("password"):
            try:
                validate_password(cleaned["password"],
                                  user=get_user_model()(username=cleaned["username"]))
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ApiKeyCreateForm(DashboardForm):
    name = forms.CharField(max_length=100, help_text="What calls with it: billing-sync, say")
    role = forms.ChoiceField(choices=Role.choices, required=False,
                             help_text="What the key may do; at most what your own role may")
    expires_at = forms.DateTimeField(
        required=False, label="Expires (UTC)", help_text="Empty: never",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


class WebhookForm(DashboardForm):
    url = forms.CharField(max_length=500, required=False, label="URL",
                          widget=forms.URLInput(attrs={"placeholder": "https://…"}),
                          help_text="Called when a job finishes; empty turns it off. Only "
                                    "hosts the operator allowed can be called.")


def _settings_render(request, *, status: int = 200, role_error: tuple | None = None,
                     **forms_given):
    hook = OrganizationWebhook.objects.filter(organization=request.organization).first()
    context = {
        "members": members_of(organization=request.organization),
        "roles": Role.choices, "role_error": role_error,
        "keys": api_keys_visible_to(membership=request.membership, every=can(request, "keys"))
        .select_related("user"),
        "hook": hook,
        "member_form": forms_given.get("member_form") or MemberAddForm(),
        "key_form": forms_given.get("key_form") or ApiKeyCreateForm(
            initial={"role": request.membership.role}),
        "webhook_form": forms_given.get("webhook_form") or WebhookForm(
            initial={"url": hook.url if hook else ""}),
        "issued_key": request.session.pop(ISSUED_KEY, None),
        "webhook_secret": request.session.pop(ROTATED_SECRET, None),
        "retention_form": forms_given.get("retention_form")
        or RetentionForm.for_organization(request.organization),
    }
    response = render(request, "dashboard/admin/settings.html", context, status=status)
    response["Cache-Control"] = "no-store"  # may hold a secret shown this once
    return response


@member_required
def settings_page(request):
    return _settings_render(request)


@require_POST
@capability_required("members")
def member_add(request):
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            account_services.member_create(
                organization=request.organization, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"], role=form.cleaned_data["role"],
                actor=request.actor)
        except IntegrityError:  # taken between the form's check and the insert
            form.add_error("username", "That username is taken.")
        else:
            messages.success(request, f"{form.cleaned_data['username']} can log in now.")
            return redirect("dashboard:settings")
    return _settings_render(request, status=400, member_form=form)


@require_POST
@capability_required("members")
def member_role(request, membership_id: int):
    try:
        membership = account_services.member_role_change(
            organization=request.organization, membership_id=membership_id,
            role=request.POST.get("role", ""), actor=request.actor)
    except NotFound:
        raise Http404(f"no member {membership_id}") from None
    except ApplicationError as exc:
        return _settings_render(request, status=409 if exc.status_code == 409 else 400,
                                role_error=(membership_id, exc.message))
    role = membership.get_role_display().lower()
    messages.success(request, f"{membership.user.username} is now {role}.")
    return redirect("dashboard:settings")


@require_POST
@member_required
def api_key_create(request):
    form = ApiKeyCreateForm(request.POST)
    if not form.is_valid():
        return _settings_render(request, status=400, key_form=form)
    try:
        issued = account_services.api_key_create(
            membership=request.membership, name=form.cleaned_data["name"],
            role=form.cleaned_data["role"] or None, expires_at=form.cleaned_data["expires_at"],
            held=request.capabilities, actor=request.actor)
    except ApplicationError as exc:
        form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields
                       else None, exc.message)
        return _settings_render(request, status=400, key_form=form)
    request.session[ISSUED_KEY] = {"name": issued.api_key.name, "key": issued.key}
    return redirect("dashboard:settings")


@require_POST
@member_required
def api_key_revoke(request, key_id: int):
    """Your own keys, or with the `keys` capability any key of the organization."""
    holder = api_keys_visible_to(membership=request.membership, every=True) \
        .filter(pk=key_id).values_list("user_id", flat=True).first()
    if holder is None:
        raise Http404(f"no API key {key_id}")
    if holder != request.user.pk and not can(request, "keys"):
        raise PermissionDenied("another member's key needs the 'keys' capability")
    try:
        api_key = account_services.api_key_revoke(organization=request.organization,
                                                  api_key_id=key_id, actor=request.actor)
    except NotFound:
        raise Http404(f"no API key {key_id}") from None
    messages.success(request, f"The key {api_key.name} ({api_key.prefix}…) is revoked.")
    return redirect("dashboard:settings")


@require_POST
@capability_required("settings")
def webhook_save(request):
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhooks.webhook_configure(organization=request.organization,
                                       url=form.cleaned_data["url"].strip(), actor=request.actor)
        except ApplicationError as exc:
            form.add_error("url", exc.message)
        else:
            messages.success(request, "Webhook saved." if form.cleaned_data["url"]
                             else "Webhook turned off.")
            return redirect("dashboard:settings")
    return _settings_render(request, status=400, webhook_form=form)


@require_POST
@capability_required("settings")
def webhook_rotate(request):
    hook = webhooks.webhook_secret_rotate(organization=request.organization, actor=request.actor)
    request.session[ROTATED_SECRET] = hook.secret
    return redirect("dashboard:settings")
