// Dataset upload form, progressive enhancement (the form works without it):
// - a [data-dataset-drop] takes a dropped file into its <input type=file> and names the file;
// - fields marked data-kinds="..." show only for the task kinds they apply to, as the
//   select[data-task-kind]'s chosen <option data-kind> says.
document.documentElement.classList.add("js");

function showFileName(zone) {
  const input = zone.querySelector("input[type=file]");
  const name = zone.querySelector("[data-filename]");
  if (name) name.textContent = input.files.length ? `Chosen: ${input.files[0].name}` : "";
}

function showFieldsForKind(select) {
  const kind = select.selectedOptions[0]?.dataset.kind;
  select.form.querySelectorAll("[data-kinds]").forEach((element) => {
    element.hidden = Boolean(kind) && !element.dataset.kinds.split(" ").includes(kind);
  });
}

document.addEventListener("dragover", (event) => {
  const zone = event.target.closest?.("[data-dataset-drop]");
  if (!zone) return;
  event.preventDefault();  // allows the drop
  zone.classList.add("dragging");
});

document.addEventListener("dragleave", (event) => {
  const zone = event.target.closest?.("[data-dataset-drop]");
  if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
});

document.addEventListener("drop", (event) => {
  const zone = event.target.closest?.("[data-dataset-drop]");
  if (!zone) return;
  event.preventDefault();
  zone.classList.remove("dragging");
  const files = event.dataTransfer?.files;
  if (!files || !files.length) return;
  const input = zone.querySelector("input[type=file]");
  const chosen = new DataTransfer();
  chosen.items.add(files[0]);  // the field takes one file
  input.files = chosen.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
});

document.addEventListener("change", (event) => {
  const zone = event.target.closest?.("[data-dataset-drop]");
  if (zone && event.target.matches("input[type=file]")) showFileName(zone);
  if (event.target.matches("select[data-task-kind]")) showFieldsForKind(event.target);
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-task-kind]").forEach(showFieldsForKind);
});
