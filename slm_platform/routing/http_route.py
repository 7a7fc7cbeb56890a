"""The cascade's HTTP route: an OpenAI-compatible chat endpoint asked to pick one label of the
task's label set for an item. Off until its host is listed in CASCADE_HTTP_ALLOWED_HOSTS (the
item's text then leaves this installation, redacted first unless the policy says otherwise).
The answer must name exactly one label, or it is no answer at all."""

import json
import os
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from slm_platform.core.errors import ValidationFailed
from slm_platform.core.security import outbound_host_allowed, outbound_url_validate

API_KEY_ENV = re.compile(r"CASCADE_API_KEY_[A-Z0-9_]{1,60}")
_QUOTES = "\"'`*"


class RouteUnavailable(Exception):
    """The endpoint cannot answer (down, refused, timed out, or its host is no longer allowed)."""


def host_allowed(url: str) -> bool:
    return outbound_host_allowed(url, settings.CASCADE_HTTP_ALLOWED_HOSTS)


def http_target_clean(*, url: object, model: object, api_key_env: object,
                      field: str = "large") -> dict:
    """The endpoint's settings, checked: an http(s) URL on an allowed host, a model name, and
    optionally the CASCADE_API_KEY_* variable the workers read its key from."""
    if not isinstance(url, str) or not url:
        raise ValidationFailed(f"{field}.url is required for an openai route",
                               details={"field": f"{field}.url"})
    outbound_url_validate(
        url, allowed_hosts=settings.CASCADE_HTTP_ALLOWED_HOSTS, field=f"{field}.url",
        not_url=f"{field}.url must be an http(s) URL",
        not_allowed="an HTTP route may call only the hosts in CASCADE_HTTP_ALLOWED_HOSTS (empty "
                    "by default: the items' text would leave this installation)",
        code="cascade_host_not_allowed")
    if not isinstance(model, str) or not model.strip():
        raise ValidationFailed(f"{field}.model must name the endpoint's model",
                               details={"field": f"{field}.model"})
    if api_key_env in (None, ""):
        api_key_env = ""
    elif not isinstance(api_key_env, str) or not API_KEY_ENV.fullmatch(api_key_env):
        raise ValidationFailed(
            f"{field}.api_key_env must name an environment variable starting with "
            f"CASCADE_API_KEY_ (capitals, digits, underscores)",
            details={"field": f"{field}.api_key_env"})
    return {"url": url.rstrip("/"), "model": model.strip(), "api_key_env": api_key_env}


def label_messages(*, title: str, labels: list[str], descriptions: dict[str, str],
                   text: str) -> list[dict]:
    listed = "\n".join(f"- {label}: {descriptions[label]}" if descriptions.get(label)
                       else f"- {label}" for label in labels)
    return [
        {"role": "system", "content": (
            f"You classify texts for the task \"{title}\". Answer with exactly one label from "
            f"this list, written as it is here, and nothing else:\n{listed}")},
        {"role": "user", "content": text},
    ]


def label_parse(answer: str, labels: list[str]) -> str | None:
    """The label the answer names: the whole answer (trimmed of spaces, quotes and one full
    stop) equal to one label, ignoring case. Anything else is no answer."""
    cleaned = _trimmed(answer)
    if cleaned.lower().startswith("label:"):
        cleaned = _trimmed(cleaned[6:])
    matches = [label for label in labels if label.lower() == cleaned.lower()]
    return matches[0] if len(matches) == 1 else None


def _trimmed(answer: str) -> str:
    cleaned = answer.strip().strip(_QUOTES).strip()
    if cleaned.endswith("."):
        cleaned = cleaned[:-1].strip().strip(_QUOTES).strip()
    return cleaned


def endpoint_name(url: str, model: str) -> str:
    return f"openai:{urlsplit(url).hostname}/{model}"


def ask(*, url: str, model: str, api_key_env: str, messages: list[dict]) -> str:
    """The endpoint's reply to `messages` (greedy, short), whether it answers with one JSON body
    or streams server-sent events. The host is checked again here: the allowed hosts may have
    changed since the policy was saved."""
    if not host_allowed(url):
        raise RouteUnavailable(f"{urlsplit(url).hostname} is not in CASCADE_HTTP_ALLOWED_HOSTS")
    body = json.dumps({"model": model, "messages": messages, "temperature": 0,
                       "max_tokens": 32, "stream": False}).encode()
    headers = {"Content-Type": "application/json"}
    api_key = os.environ.get(api_key_env, "") if api_key_env else ""
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(f"{url}/chat/completions", data=body, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(  # noqa: S310 - scheme and host checked
                request, timeout=settings.CASCADE_HTTP_TIMEOUT_SECONDS) as response:
            kind = response.headers.get("Content-Type", "")
            raw = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        raise RouteUnavailable(f"{endpoint_name(url, model)}: {exc}") from exc
    return _streamed_text(raw) if "event-stream" in kind else _message_text(raw)


def _message_text(raw: str) -> str:
    try:
        return json.loads(raw)["choices"][0]["message"]["content"] or ""
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise RouteUnavailable("the endpoint's reply is not a chat completion") from exc


def _streamed_text(raw: str) -> str:
    pieces = []
    for line in raw.splitlines():
        line = line.strip()
        if not line.startswith("data:") or line[5:].strip() == "[DONE]":
            continue
        try:
            pieces.append(json.loads(line[5:])["choices"][0].get("delta", {}).get("content")
                          or "")
        except (ValueError, KeyError, IndexError, TypeError):
            continue
    return "".join(pieces)
