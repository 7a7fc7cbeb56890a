"""Settings for SLM Platform, read from the environment (twelve-factor style).

With nothing set, the platform runs for development: SQLite under DATA_DIR and the embedded Redis
that `make run` starts. Production sets DJANGO_ENV=production, which makes SECRET_KEY,
DATABASE_URL, REDIS_URL and ALLOWED_HOSTS required and refuses to start without them.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"


def _required_in_production(name: str, default: str) -> str:
    """The variable, or the development default; in production a missing value stops start-up."""
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_ENV=production (see README, 'Configuration')."
        )
    return default


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _required_in_production("SECRET_KEY", "dev-insecure-secret-key-change-me")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"],
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")

DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
MODEL_DIR = Path(env.str("MODEL_DIR", default=str(DATA_DIR / "models"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MODEL_DIR.mkdir(parents=True, exist_ok=True)

# Default: the embedded redis-server that `make run` starts on this port (see slm_platform/run.py).
EMBEDDED_REDIS_PORT = env.int("EMBEDDED_REDIS_PORT", default=6391)
REDIS_URL = _required_in_production("REDIS_URL", f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # Login lockout after repeated failures (AccessAttempt rows; settings under "Security")
    "axes",
    "slm_platform.core",
    "slm_platform.accounts",
    "slm_platform.audit",
    "slm_platform.registry",
    "slm_platform.datasets",
    "slm_platform.training",
    "slm_platform.serving",
    "slm_platform.jobs",
    "slm_platform.review",
    "slm_platform.routing",
    "slm_platform.chat",
    "slm_platform.retention",
    "slm_platform.api",
    "slm_platform.dashboard",
    # Industry apps: each registers its tasks in the catalog from AppConfig.ready().
    "tasks_finance",
    "tasks_retail",
    "tasks_health",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "slm_platform.core.security.SecurityHeadersMiddleware",
    # A NUL character in a path, query or JSON body: 400 before any query (core/request_checks.py)
    "slm_platform.core.request_checks.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A JSON line per authenticated request: key prefix, user, method, path, status.
    "slm_platform.audit.access_log.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A view failing on an unreachable database or a full disk: 503 or 507, not 500.
    "slm_platform.core.faults.FaultResponseMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "slm_platform.urls"
WSGI_APPLICATION = "slm_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "slm_platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "slm_platform.dashboard.access.capabilities",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'slm_platform.sqlite3'}",
    )
}
if PRODUCTION and not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must be set when DJANGO_ENV=production.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and workers are separate processes writing to one file: WAL plus immediate
    # transactions and a busy timeout turn lock contention into short waits, not errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests run a real worker process, which cannot see an in-memory database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_slm_platform.sqlite3")}
# Persistent connections: a predict request should not pay for a new database connection.
# The health check drops a connection the database lost (a restart) before a request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
# A bounded pool of connections per process (the web server sets it: a persistent connection
# per thread would need threads x processes connections, past PostgreSQL's max_connections
# under load); 0: a persistent connection per thread, as the workers keep.
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer: requests get 503 after this, not a hang.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if DATABASE_POOL_MAX_SIZE > 0:
        # With CONN_HEALTH_CHECKS, Django has the pool check a connection when it hands it out:
        # one the database dropped (a restart) is replaced.
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(2, DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
            # A request waits this long for a free connection, then answers 503.
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=DATABASE_CONNECT_TIMEOUT),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django requires 0

# Audit rows written outside a transaction (predict calls) are appended in batches by one
# thread per process, each caller waiting for its row's commit (audit/group_commit.py).
AUDIT_GROUP_COMMIT = env.bool("AUDIT_GROUP_COMMIT", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The lockout backend first: a locked-out username+address is refused before its password is
# checked (slm_platform/accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "slm_platform.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    # Model artifacts go through this storage so a shared store can replace local disk later.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MODEL_DIR)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Security (README, "Security"). Production turns on the HTTPS-only parts; each one can be set
# by its environment variable.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the form or hx-headers, never the cookie
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 86400 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
# Proxies in front of the web server (a TLS-terminating load balancer: 1). Their
# X-Forwarded-For gives the client address for rate limits and lockouts, and their
# X-Forwarded-Proto tells Django the request came over HTTPS. With 0 both headers are ignored,
# so a client cannot choose its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every response (slm_platform/core/security.py). No 'unsafe-inline' anywhere: pages load
# their scripts and styles from static files; the API docs' pages use a per-response nonce.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Login lockout (django-axes): this many failed passwords or two-factor codes for one username
# from one address lock that pair out for the cool-off; a success clears the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused attempt during the lockout does not restart it, so Retry-After holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "slm_platform.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "slm_platform.core.security.client_ip"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # logins are in the audit log already
# Two-factor (TOTP) codes: admins may enrol; with this on, an admin must before logging in.
TOTP_REQUIRED_FOR_ADMINS = env.bool("TOTP_REQUIRED_FOR_ADMINS", default=False)
TOTP_ISSUER = env.str("TOTP_ISSUER", default="SLM Platform")

# Rate limits ("<count>/<s|min|hour|day>", fixed windows counted in Redis): per API key (a
# session user counts as one key) and per client address, on predict (and the other inference
# endpoints), uploads (jobs, datasets, knowledge documents) and the login form. One key may
# use a 2-core machine's whole predict throughput (about 100 requests/s); lower them to share
# a bigger machine fairly. An empty value turns that limit off.
RATE_LIMITS = {
    "predict_key": env.str("RATE_LIMIT_PREDICT_PER_KEY", default="6000/min"),
    "predict_ip": env.str("RATE_LIMIT_PREDICT_PER_IP", default="12000/min"),
    "upload_key": env.str("RATE_LIMIT_UPLOAD_PER_KEY", default="120/min"),
    "upload_ip": env.str("RATE_LIMIT_UPLOAD_PER_IP", default="600/min"),
    "login_ip": env.str("RATE_LIMIT_LOGIN_PER_IP", default="60/min"),
}
# Shared by every web process (rate-limit counters must be): Redis.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "slm",
    }
}

# Request bodies: predict takes at most 256 inputs of a few KB; anything larger is refused (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=4 * 1024 * 1024)

# Training datasets are read whole into memory for parsing and checks; bulk jobs stream instead.
DATASET_MAX_BYTES = env.int("DATASET_MAX_BYTES", default=100 * 1024 * 1024)
# Uploads larger than this spill from memory to a temporary file while they arrive.
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# Bulk jobs: uploads are streamed to disk, read in one streaming pass, predicted in chunks.
JOB_UPLOAD_DIR = Path(env.str("JOB_UPLOAD_DIR", default=str(DATA_DIR / "jobs"))).resolve()
# Large uploads arrive in a temporary file here, on the same disk, so storing one is a rename.
FILE_UPLOAD_TEMP_DIR = JOB_UPLOAD_DIR / "incoming"
# Django's handlers, but a full disk while an upload arrives is a 507 naming the file.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "slm_platform.core.uploads.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
JOB_MAX_UPLOAD_BYTES = env.int("JOB_MAX_UPLOAD_BYTES", default=2 * 1024**3)
JOB_MAX_FILES = env.int("JOB_MAX_FILES", default=1000)  # after ZIPs are expanded
JOB_MAX_ITEMS = env.int("JOB_MAX_ITEMS", default=5_000_000)
JOB_MAX_DECOMPRESSED_BYTES = env.int("JOB_MAX_DECOMPRESSED_BYTES", default=4 * 1024**3)
JOB_MAX_COMPRESSION_RATIO = env.int("JOB_MAX_COMPRESSION_RATIO", default=200)
JOB_MAX_PDF_PAGES = env.int("JOB_MAX_PDF_PAGES", default=5000)
# Items per chunk task. bench/bulk.py, 100k rows on 2 cores, upload to downloaded results:
# 512 reached 0.68x the raw engine, 2,048 0.83-0.91x (each task's fixed costs and the gap
# between tasks), 4,096 with the job's last chunks cut smaller (chunks.py _tail_split) and
# no row-by-row foreign-key checks on items 0.92-0.99x in two runs.
# A chunk is then about 4 s of one process, which bounds what a cancel or a redelivery waits
# for.
JOB_CHUNK_SIZE = env.int("JOB_CHUNK_SIZE", default=4096)
# ... and a chunk ends sooner when its items reach this many bytes in memory (texts plus a
# table's other columns, ingest/bulk/records.item_bytes): what the parse step holds at once is
# bounded for a file of very wide rows too (5,000 columns x 1,024 rows took ~490 MB as one
# chunk). The default is records.SEGMENT_MAX_BYTES.
JOB_SEGMENT_MAX_BYTES = env.int("JOB_SEGMENT_MAX_BYTES", default=16 * 1024 * 1024)
# Chunks queued at once per job: enough to keep every bulk worker busy, few enough that a
# cancel stops the job at once and other jobs are not stuck behind one large upload.
JOB_CHUNKS_IN_FLIGHT = env.int("JOB_CHUNKS_IN_FLIGHT", default=4)
# A chunk sent this long ago and still not done lost its task (a broker restarted without its
# data): it is sent again. Longer than a chunk task's hard time limit (660 s), so the first
# delivery is over by then; a second one is harmless anyway (a done chunk is a no-op).
JOB_CHUNK_STALE_SECONDS = env.int("JOB_CHUNK_STALE_SECONDS", default=900)
# How often each bulk worker asks for that check.
JOB_RECOVERY_INTERVAL_SECONDS = env.int("JOB_RECOVERY_INTERVAL_SECONDS", default=60)
# Completion webhooks call only these hosts (an empty list disables webhooks).
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_BACKOFF_SECONDS = env.float("WEBHOOK_BACKOFF_SECONDS", default=10.0)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "slm_platform.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["slm_platform.api.permissions.HasCapability"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "slm_platform.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "slm_platform.api.throttling.ApiKeyThrottle",
        "slm_platform.api.throttling.ClientIpThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "slm_platform.api.pagination.LimitOffsetPaginationWithCeiling",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
    # `?format=` names the export format of job results, not a DRF renderer.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SLM Platform API",
    "DESCRIPTION": "Small, domain-specific language models: tasks, predictions, models, audit.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Interactive docs from the locally installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" field with its own choices; this one needs a name.
    "ENUM_NAME_OVERRIDES": {
        "ConversationStatusEnum": "slm_platform.chat.models.ConversationStatus",
        # Two choice sets are fields named "role": a member's or key's, and a chat message's.
        "RoleEnum": "slm_platform.accounts.roles.Role",
        "MessageRoleEnum": "slm_platform.chat.models.MessageRole",
    },
    # Every operation's error responses, in the one error shape (slm_platform/api/schema.py)
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "slm_platform.api.schema.error_responses"],
}

# Celery: three queues by latency class; a worker per queue so bulk never delays realtime.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = "realtime"
CELERY_TASK_ROUTES = {
    "serving.*": {"queue": "realtime"},
    "bulk.*": {"queue": "bulk"},
    "training.*": {"queue": "training"},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A pool process imports the serving stack (torch, ONNX Runtime) before it reports up: 5-10 s
# on a loaded 2-core machine. Celery's default (4 s) killed such processes as hung and started
# new ones, which were killed in turn: a worker whose processes were replaced (kill -9, out of
# memory, max tasks per child) could stop taking tasks for good.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = env.float("WORKER_PROC_ALIVE_TIMEOUT", default=120.0)
# Data retention (slm_platform/retention/): celery beat (started by `make run`) sends the purge
# to the bulk queue this often; it deletes rows in batches of RETENTION_PURGE_BATCH.
RETENTION_PURGE_INTERVAL_SECONDS = env.int("RETENTION_PURGE_INTERVAL_SECONDS", default=3600)
RETENTION_PURGE_BATCH = env.int("RETENTION_PURGE_BATCH", default=2000)
CELERY_BEAT_SCHEDULE = {
    "retention-purge": {
        "task": "bulk.retention_purge",
        "schedule": float(RETENTION_PURGE_INTERVAL_SECONDS),
        # A purge still queued when the next one is due is dropped: one is enough.
        "options": {"queue": "bulk", "expires": RETENTION_PURGE_INTERVAL_SECONDS},
    },
}

# Chat assistants' reply generator (slm_platform/chat/generators.py). "local": SmolLM2-135M,
# prepared by setup beside the installed packages; "none": extractive answers only.
CHAT_GENERATOR = env.str("CHAT_GENERATOR", default="local")
CHAT_GENERATOR_DIR = Path(env.str("CHAT_GENERATOR_DIR", default=str(
    Path(sys.prefix) / "share" / "slm_platform" / "smollm2-135m-instruct")))
# One reply decodes with every core (decoding is bound by memory bandwidth, not by cores).
CHAT_GENERATION_THREADS = env.int("CHAT_GENERATION_THREADS", default=os.cpu_count() or 1)
CHAT_GENERATION_MAX_TOKENS = env.int("CHAT_GENERATION_MAX_TOKENS", default=80)
# Prompt + reply tokens that the compiled decoding step serves (slm_platform/ml/
# decode_compiled.py: compiled once per worker in the background, where int8 decoding runs);
# longer conversations decode eagerly. Off (0) by default: compiling takes about two minutes
# of both cores at the first reply, and it gained 1.43x on an AMX Xeon pinned to 2 cores but
# only 1.1x on this project's 2-core machine (bench/generator_speed.py). 1024 turns it on.
CHAT_COMPILED_DECODE_TOKENS = env.int("CHAT_COMPILED_DECODE_TOKENS", default=0)
# Prompt-lookup decoding (slm_platform/ml/prompt_lookup.py): up to this many tokens copied from
# earlier in the prompt or reply are checked in one model call, and kept where greedy decoding
# would have written them anyway, so replies are unchanged. 0 turns it off; at most 15. 3
# measured best on this project's machine: with int8 decoding a call costs about a third more
# for 4 tokens than for 1, and more per token beyond (docs/chat-generator.md).
CHAT_PROMPT_LOOKUP_TOKENS = env.int("CHAT_PROMPT_LOOKUP_TOKENS", default=3)
CHAT_GENERATION_TIMEOUT_SECONDS = env.float("CHAT_GENERATION_TIMEOUT_SECONDS", default=60.0)
# An assistant may use an OpenAI-compatible endpoint only on these hosts: none by default, as
# the conversation and its passages then leave this machine.
CHAT_HTTP_GENERATOR_ALLOWED_HOSTS = env.list("CHAT_HTTP_GENERATOR_ALLOWED_HOSTS", default=[])
CHAT_HTTP_GENERATOR_API_KEY = env.str("CHAT_HTTP_GENERATOR_API_KEY", default="")

# Cascade routing (slm_platform/routing): a task's policy may send low-confidence items to an
# OpenAI-compatible endpoint only on these hosts: none by default, as the (redacted) text then
# leaves this installation. Its API key is read on the workers from an environment variable
# whose name starts with CASCADE_API_KEY_ (the policy names it; no other variable is readable).
CASCADE_HTTP_ALLOWED_HOSTS = env.list("CASCADE_HTTP_ALLOWED_HOSTS", default=[])
CASCADE_HTTP_TIMEOUT_SECONDS = env.float("CASCADE_HTTP_TIMEOUT_SECONDS", default=20.0)
CASCADE_HTTP_CONCURRENCY = env.int("CASCADE_HTTP_CONCURRENCY", default=4)
# The task whose served prediction carries `redacted` text, applied to an item before it is sent
# to an HTTP route (its active model, else the task's validated patterns alone).
CASCADE_REDACTION_TASK = env.str("CASCADE_REDACTION_TASK", default="health.phi-deid")
# How long the threshold suggester waits for a worker to predict the test rows with both models.
CASCADE_SUGGEST_TIMEOUT_SECONDS = env.float("CASCADE_SUGGEST_TIMEOUT_SECONDS", default=120.0)

# Serving
PREDICT_TIMEOUT_SECONDS = env.float("PREDICT_TIMEOUT_SECONDS", default=15.0)
PREDICT_MAX_INPUTS = 256
RETRY_AFTER_SECONDS = env.int("RETRY_AFTER_SECONDS", default=5)
ML_THREADS_PER_WORKER = env.int("ML_THREADS_PER_WORKER", default=1)
# A bulk-only worker process predicts with this many threads (make run starts one process per
# core), niced below the realtime workers.
BULK_THREADS = env.int("BULK_THREADS", default=1)
BULK_NICE = env.int("BULK_NICE", default=5)
# Training may take more cores when nothing latency-bound shares the machine.
TRAINING_THREADS = env.int("TRAINING_THREADS", default=ML_THREADS_PER_WORKER)
# Compression (POST /api/v1/models/{id}/compress): at most this many unlabelled in-domain texts
# (the task's bulk-job items) are labelled by a teacher for distillation.
COMPRESSION_UNLABELLED_MAX = env.int("COMPRESSION_UNLABELLED_MAX", default=20000)
# "onnx": classifiers served by ONNX Runtime on CPU (torch on a GPU and for other artifacts);
# "torch": torch everywhere.
INFERENCE_ENGINE = env.str("INFERENCE_ENGINE", default="onnx")
MODEL_CACHE_SIZE = env.int("MODEL_CACHE_SIZE", default=4)
# Starter-model recipe: "full" fine-tunes MiniLM; "tiny" trains a small random encoder in
# seconds (used by the test suite for plumbing, never for the README's figures).
STARTER_MODEL_PRESET = env.str("STARTER_MODEL_PRESET", default="full")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
