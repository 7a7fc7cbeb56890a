// The review queue's keys: Enter or y confirms, 1–9 corrects to that numbered alternative, s skips.
// A key clicks the button it stands for, so the form posts exactly as a click would (htmx swaps in
// the next item; without JavaScript the buttons are plain submit buttons).
document.addEventListener("keydown", (event) => {
  const item = document.querySelector("[data-review-item]");
  if (!item || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
  // Enter on a focused button or link already activates it.
  if (event.key === "Enter" && target.closest && target.closest("button, a")) return;
  if (item.querySelector(".htmx-request")) return; // one verdict at a time
  let key = null;
  if (event.key === "Enter" || event.key === "y") key = "confirm";
  else if (event.key === "s") key = "skip";
  else if (/^[1-9]$/.test(event.key)) key = event.key;
  const button = key && item.querySelector(`button[data-key="${key}"]`);
  if (!button) return;
  event.preventDefault();
  button.click();
});
