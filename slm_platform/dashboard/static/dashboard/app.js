// Confirmation dialogs for forms marked data-confirm: the form is submitted only after the
// dialog's confirm button (a real <dialog>, keyboard-usable: Esc cancels, focus moves to it).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const message = form.dataset.confirm;
  if (!message || form.dataset.confirmed === "yes") return;
  event.preventDefault();
  const dialog = document.getElementById("confirm-dialog");
  dialog.querySelector("[data-message]").textContent = message;
  dialog.returnValue = "";
  dialog.showModal();
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "confirm") {
      form.dataset.confirmed = "yes";
      form.requestSubmit();
    }
  }, { once: true });
});

// A <select data-autosubmit> submits its form when changed (the button stays for keyboards).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
});
