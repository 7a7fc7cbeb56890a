// The chat playground: the message box posts with fetch() and the reply streams in as
// server-sent events (`delta` text appended to the assistant's bubble, then `message` with the
// finished bubble as the server renders it, or `error`). Enter sends, Shift+Enter starts a new
// line. The first message of a new conversation starts it (the page's URL then names it). Handed
// to staff, the box stays: the user's messages are kept for the person who takes over.
(() => {
  const form = document.querySelector("[data-chat-form]");
  if (!form) return;
  const transcript = document.querySelector("[data-transcript]");
  const textarea = form.querySelector("textarea[name=text]");
  const send = form.querySelector("[data-chat-send]");
  const errorBox = form.querySelector("[data-chat-error]");
  const status = form.querySelector("[data-chat-status]");
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let busy = false;

  class ChatError extends Error {}

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
    if (message) textarea.setAttribute("aria-invalid", "true");
    else textarea.removeAttribute("aria-invalid");
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    status.textContent = value ? "The assistant is writing…" : "";
  }

  function bubble(role, who, text) {
    const item = document.createElement("li");
    item.className = `bubble ${role}`;
    const label = document.createElement("p");
    label.className = "who";
    label.textContent = who;
    const body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    item.append(label, body);
    transcript.append(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  // The message of an error response: the platform's JSON error shape, else the HTTP status.
  async function responseError(response) {
    try {
      const body = await response.json();
      if (body.error && body.error.message) return body.error.message;
    } catch (ignored) { /* not JSON: an HTML error page */ }
    return `The server answered ${response.status} ${response.statusText}`.trim() + ".";
  }

  async function post(url, accept, body) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST", body, credentials: "same-origin",
        headers: { Accept: accept, "X-CSRFToken": csrfToken },
      });
    } catch (failure) {
      throw new ChatError("The server could not be reached: check the connection and send again.");
    }
    if (!response.ok) throw new ChatError(await responseError(response));
    return response;
  }

  async function messagesUrl() {
    if (form.dataset.messagesUrl) return form.dataset.messagesUrl;
    const started = await (await post(form.dataset.startUrl, "application/json")).json();
    form.dataset.messagesUrl = started.messages_url;
    history.replaceState(null, "", started.page_url);
    const caption = document.querySelector("[data-chat-caption]");
    if (caption) caption.textContent = `Conversation #${started.id}.`;
    return started.messages_url;
  }

  // Server-sent events from a fetch() body: blocks separated by a blank line, each with an
  // `event:` line and a `data:` line of JSON.
  async function* events(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += value;
      let end;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        let name = null;
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).replace(/^ /, "");
        }
        if (name && data) yield { name, data: JSON.parse(data) };
      }
    }
  }

  function finish(reply, data) {
    const template = document.createElement("template");
    template.innerHTML = data.html.trim();
    reply.replaceWith(template.content);
    const conversation = data.conversation;
    if (conversation.status === "handed_off") {
      // A person takes over; the user may go on writing to them.
      const withStaff = document.querySelector("[data-chat-with-staff]");
      withStaff.querySelector("[data-inbox-link]").href = conversation.inbox_url;
      withStaff.hidden = false;
    } else if (conversation.status === "closed") {
      form.hidden = true;
      document.querySelector("[data-chat-closed]").hidden = false;
    }
  }

  async function converse(text) {
    const question = bubble("user", "You", text);
    const reply = bubble("assistant streaming", "Assistant", "");
    reply.setAttribute("aria-busy", "true");
    const written = reply.querySelector(".text");
    let streamed = false;
    try {
      const body = new FormData(form);
      body.set("text", text);
      const response = await post(await messagesUrl(), "text/event-stream", body);
      streamed = true;
      for await (const event of events(response)) {
        if (event.name === "delta") {
          written.textContent += event.data.text;
        } else if (event.name === "message") {
          finish(reply, event.data);
          return;
        } else if (event.name === "error") {
          throw new ChatError(event.data.error.message);
        }
      }
      throw new ChatError("The reply was cut off.");
    } catch (failure) {
      if (!(failure instanceof ChatError)) throw failure;
      if (streamed) {
        // The message may be stored already: the page's transcript says what was kept.
        reply.removeAttribute("aria-busy");
        reply.classList.remove("streaming");
        showError(`${failure.message} Reload the page to see what was saved.`);
      } else {
        // Nothing was stored: the message goes back in the box to send again.
        question.remove();
        reply.remove();
        if (!textarea.value) textarea.value = text;
        showError(failure.message);
      }
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = textarea.value;
    if (busy || !text.trim()) return;
    showError("");
    setBusy(true);
    textarea.value = "";
    try {
      await converse(text);
    } catch (failure) {
      showError("Something went wrong showing the reply: reload the page.");
      throw failure;
    } finally {
      setBusy(false);
      if (!form.hidden) textarea.focus();
    }
  });

  textarea.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    if (!busy) form.requestSubmit();
  });
})();
