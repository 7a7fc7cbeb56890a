"""The "Datasets & training" pages through Django's test client: upload with the data-quality
report, a rejected upload's errors next to the file field (and nothing stored), starting a
training run (ML engineers and admins only), the run page's htmx fragment, and other
organizations' ids."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from slm_platform.audit.services import Actor
from slm_platform.core.task_services import custom_task_create
from slm_platform.datasets.models import DatasetVersion
from slm_platform.datasets.services import ParseOptions, dataset_upload
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.training.models import RunStatus, TrainingRun
from slm_platform.training.services import training_run_create

pytestmark = pytest.mark.django_db
TASK = "support-intents"
PHRASES = {"refund": "I want my money back for order {}",
           "delivery": "Where is my parcel number {}",
           "cancel": "Please cancel order {} now"}


def intents_csv(per_label: int = 6, extra: tuple[str, ...] = ()) -> bytes:
    rows = ["text,label"] + [f"{phrase.format(i)},{label}" for label, phrase in PHRASES.items()
                             for i in range(per_label)]
    return ("\n".join([*rows, *extra]) + "\n").encode()


def _task(organization) -> None:
    custom_task_create(organization=organization, slug=TASK, kind="classification",
                       actor=Actor.system())


@pytest.fixture
def open_task(organization):
    _task(organization)


def _dataset(organization) -> DatasetVersion:
    return dataset_upload(organization=organization, task_slug=TASK, name="intents",
                          filename="intents.csv", data=intents_csv(), options=ParseOptions(),
                          actor=Actor.system()).version


def _upload(client, data: bytes, **fields):
    file = SimpleUploadedFile("intents.csv", data, content_type="text/csv")
    return client.post("/datasets/", {"file": file, "task": TASK, **fields})


def test_the_datasets_page_says_how_to_begin(engineer, member, open_task):
    assert member.get("/datasets/").status_code == 403  # an analyst's role has no datasets
    page = engineer.get("/datasets/").content.decode()
    assert "No dataset yet — upload one" in page
    assert 'type="file"' in page and "data-dataset-drop" in page
    assert f'value="{TASK}" data-kind="classification"' in page
    assert "JSONL with character offsets or CoNLL" in page
    runs = engineer.get("/training/").content.decode()
    assert "No training run yet" in runs


def test_a_good_csv_leads_to_its_quality_report(engineer, member, organization, open_task):
    assert _upload(member, intents_csv()).status_code == 403
    assert not DatasetVersion.objects.exists()
    response = _upload(engineer, intents_csv(extra=("Where is my parcel number 1,delivery",)))
    version = DatasetVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/datasets/{version.pk}/"
    page = engineer.get(response["Location"]).content.decode()
    assert "Uploaded intents.csv@v1: 19 rows." in page
    assert "Data quality" in page and ">19</div>" in page
    # The label distribution as bars, and the duplicate row listed with its row number.
    assert page.count("<meter") == 3 and 'aria-label="delivery: 7"' in page
    assert "Repeats of an earlier row" in page and "row 20" in page
    # Listed on the datasets page with its quality summary.
    listing = engineer.get("/datasets/").content.decode()
    # (exact duplicates, and near ones: "order 1" and "order 2" differ only in digits)
    assert "intents.csv" in listing and "2 warnings" in listing
    # An ML engineer trains too.
    assert "Start training" in page
    assert member.get(response["Location"]).status_code == 403


def test_a_bad_csv_is_refused_next_to_the_file_field_and_nothing_is_stored(engineer, open_task):
    response = _upload(engineer, intents_csv(extra=(",refund", "   ,cancel")))
    assert response.status_code == 400
    page = response.content.decode()
    errors = page.split('id="id_file-errors"')[1].split("</ul>")[0]
    assert "intents.csv: Empty text in 2 rows" in errors
    assert 'aria-invalid="true"' in page.split('id="id_file"')[1].split(">")[0]
    assert "Nothing was stored" in page and "rows 20, 21" in page
    assert not DatasetVersion.objects.exists()

    # A missing column is put next to the column's field.
    response = _upload(engineer, intents_csv(), text_column="message")
    assert response.status_code == 400
    page = response.content.decode()
    assert "message" in page.split('id="id_text_column-errors"')[1].split("</ul>")[0]
    assert not DatasetVersion.objects.exists()


def test_another_organizations_dataset_and_run_are_404(engineer, member, organization,
                                                       other_organization):
    _task(other_organization)
    theirs = _dataset(other_organization)
    run = training_run_create(organization=other_organization, task_slug=TASK,
                              dataset_version_id=theirs.pk, recipe="fast", hyperparameters={},
                              actor=Actor.system(), enqueue=False)
    # 404 whatever the role: a role without the capability learns nothing either.
    for client in (engineer, member):
        assert client.get(f"/datasets/{theirs.pk}/").status_code == 404
        assert client.get(f"/training/{run.pk}/").status_code == 404
        assert client.get(f"/training/{run.pk}/",
                          headers={"HX-Request": "true"}).status_code == 404
        assert client.post(f"/datasets/{theirs.pk}/train",
                           {"recipe": "fast"}).status_code == 404
    assert theirs.name not in engineer.get("/datasets/").content.decode()
    assert TrainingRun.objects.count() == 1


def test_only_a_training_role_starts_a_run_and_it_redirects_to_it(member, admin, organization,
                                                                 open_task):
    version = _dataset(organization)
    refused = member.post(f"/datasets/{version.pk}/train", {"recipe": "fast"})
    assert refused.status_code == 403 and not TrainingRun.objects.exists()
    response = admin.post(f"/datasets/{version.pk}/train",
                          {"recipe": "full", "epochs": "2", "more": '{"patience": 4}'})
    run = TrainingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/training/{run.pk}/"
    assert run.recipe == "full" and run.hyperparameters == {"epochs": 2, "patience": 4}
    assert run.dataset_version == version and run.created_by == admin_user(admin)


def admin_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_a_refused_run_shows_the_service_error_next_to_the_field(admin, organization, open_task):
    version = _dataset(organization)
    page = admin.get(f"/datasets/{version.pk}/").content.decode()
    assert 'value="fast"' in page and 'value="spacy"' not in page
    response = admin.post(f"/datasets/{version.pk}/train", {"recipe": "fast", "epochs": "99"})
    assert response.status_code == 400
    assert "hyperparameters.epochs must be between 1 and 50" in \
        response.content.decode().split('id="id_epochs-errors"')[1]
    response = admin.post(f"/datasets/{version.pk}/train",
                          {"recipe": "fast", "more": '{"nonsense": 1}'})
    assert "unknown hyperparameters: nonsense" in \
        response.content.decode().split('id="id_more-errors"')[1]
    response = admin.post(f"/datasets/{version.pk}/train", {"recipe": "spacy"})
    assert "the spacy recipe trains entity extraction only" in \
        response.content.decode().split('id="id_recipe-errors"')[1]
    assert not TrainingRun.objects.exists()


def _run(organization, **fields) -> TrainingRun:
    run = training_run_create(organization=organization, task_slug=TASK,
                              dataset_version_id=_dataset(organization).pk, recipe="full",
                              hyperparameters={}, actor=Actor.system(), enqueue=False)
    TrainingRun.objects.filter(pk=run.pk).update(**fields)
    run.refresh_from_db()
    return run


def test_the_run_page_polls_its_progress_until_the_run_finishes(engineer, member, organization,
                                                                open_task):
    curve = [[1, 1.2], [2, 0.9], [3, 0.7]]
    run = _run(organization, status=RunStatus.RUNNING, progress={
        "phase": "training", "epoch": 1, "step": 3, "total_steps": 12, "loss": 0.7,
        "eta_seconds": 95.0, "loss_curve": curve})
    assert member.get(f"/training/{run.pk}/").status_code == 403  # an analyst
    page = engineer.get(f"/training/{run.pk}/").content.decode()
    assert "<html" in page and 'hx-trigger="every 2s"' in page
    assert "Cancel run" in page

    fragment = engineer.get(f"/training/{run.pk}/", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'hx-trigger="every 2s"' in html
    assert '<progress max="100" value="25"' in html and "step 3 of 12" in html
    assert "1 min 35 s" in html and "<polyline" in html and "hx-swap-oob" not in html

    ModelVersion.objects.filter(pk=run.model_version_id).update(status=VersionStatus.READY)
    TrainingRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED)
    html = engineer.get(f"/training/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html  # polling stops
    assert 'id="run-actions" class="actions" hx-swap-oob="true"' in html
    assert f'href="/models/{run.model_version_id}/"' in html


def test_a_failed_run_shows_its_error_and_log(engineer, organization, open_task):
    run = _run(organization, status=RunStatus.FAILED, error="RuntimeError: out of memory",
               log="10:00:00 split (generated): train 14, validation 2, test 2\n")
    page = engineer.get(f"/training/{run.pk}/").content.decode()
    assert "RuntimeError: out of memory" in page and "split (generated)" in page
    assert "hx-trigger" not in page and "/models/" not in page


def test_cancel_needs_the_training_role_and_goes_through_the_service(member, admin,
                                                                    organization, open_task):
    run = _run(organization)
    page = admin.get(f"/training/{run.pk}/").content.decode()
    assert f'data-confirm="Cancel training run {run.pk}?' in page
    assert member.post(f"/training/{run.pk}/cancel").status_code == 403
    response = admin.post(f"/training/{run.pk}/cancel", follow=True)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert f"Training run {run.pk} is being cancelled." in response.content.decode()
    again = admin.post(f"/training/{run.pk}/cancel", follow=True).content.decode()
    assert "has already cancelled" in again
