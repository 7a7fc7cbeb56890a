// Bulk-job upload: a drop zone around the file input (dropped files go into the input, so the
// form posts them as usual) and a column picker: the header row of the first CSV or TSV file
// chosen fills the text-column suggestions. Without JavaScript the plain input still works.
(() => {
  const DELIMITERS = [",", "\t", ";", "|"];

  function headerCells(line) {
    const delimiter = DELIMITERS.reduce((best, d) =>
      line.split(d).length > line.split(best).length ? d : best, ",");
    const cells = [];
    let cell = "", quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === delimiter && !quoted) { cells.push(cell.trim()); cell = ""; }
      else cell += ch;
    }
    cells.push(cell.trim());
    return cells.filter(Boolean);
  }

  function showFiles(form, files) {
    const list = form.querySelector("[data-file-list]");
    if (!list) return;
    list.replaceChildren(...Array.from(files).map((file) => {
      const item = document.createElement("li");
      item.textContent = `${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB)`;
      return item;
    }));
  }

  function pickColumns(form, files) {
    const table = Array.from(files).find((f) => /\.(csv|tsv|txt)$/i.test(f.name));
    const options = form.querySelector("[data-columns]");
    if (!table || !options) return;
    table.slice(0, 65536).text().then((head) => {
      const first = head.replace(/^\uFEFF/, "").split(/\r?\n/)[0] || "";
      const cells = headerCells(first);
      if (cells.length < 2) return;
      options.replaceChildren(...cells.map((name) => {
        const option = document.createElement("option");
        option.value = name;
        return option;
      }));
      const input = form.querySelector("#id_text_column");
      if (input && !input.value) {
        input.value = cells.find((c) => /^(text|description|message|review|note|sentence)s?$/i.test(c)) || "";
      }
      const help = form.querySelector("[data-columns-help]");
      if (help) help.textContent = `Columns of ${table.name}: ${cells.join(", ")}.`;
    });
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("form[data-upload] input[type=file]")) {
      showFiles(event.target.form, event.target.files);
      pickColumns(event.target.form, event.target.files);
    }
  });
  for (const type of ["dragenter", "dragover"]) {
    document.addEventListener(type, (event) => {
      const zone = event.target.closest && event.target.closest("[data-dropzone]");
      if (!zone) return;
      event.preventDefault();
      zone.classList.add("dragging");
    });
  }
  document.addEventListener("dragleave", (event) => {
    const zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (zone) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", (event) => {
    const zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    const input = zone.querySelector("input[type=file]");
    input.files = event.dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
