"use strict";
// Names for the controls that scripts draw in place of the form's own fields:
// select2's boxes (regions, tags, the byline's authors, the picks) and the body
// editor. Each takes the name of the field it stands for, from its <label> or
// from the aria-label a table row's box has (OrderedInlineFormSet); without it
// a screen reader says "combo box" or "edit text" and nothing more. And the
// heading cells Django leaves empty over a table of rows become plain cells.
{
  function nameOf(field) {
    const label = field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    const text = label ? label.textContent : field.getAttribute("aria-label") || "";
    return text.trim().replace(/:$/, "");
  }

  // select2 puts its box right after the <select> it hides, and redraws parts of
  // the box as choices change: this runs again after each change, and is idempotent.
  function nameSelect2(box) {
    const select = box.previousElementSibling;
    const name = select && select.matches("select") && nameOf(select);
    if (!name) {
      return;
    }
    // As a select-only combobox should be: named by the field, its text the choice.
    const selection = box.querySelector(".select2-selection");
    selection.setAttribute("aria-label", name);
    selection.removeAttribute("aria-labelledby");
    const choice = box.querySelector(".select2-selection--single .select2-selection__rendered");
    if (choice) {
      choice.removeAttribute("role");
      choice.removeAttribute("aria-readonly");
    }
    const search = box.querySelector(".select2-search--inline .select2-search__field");
    if (search) {
      search.setAttribute("aria-label", name);
    }
    // A pointer's shortcut that select2 puts among the chips' list items; the
    // keyboard clears with Backspace.
    for (const clear of box.querySelectorAll(".select2-selection__clear")) {
      clear.setAttribute("aria-hidden", "true");
    }
  }

  const drawsSelect2 = (records) =>
    records.some((record) =>
      Array.from(record.addedNodes).some(
        (node) => node.nodeType === Node.ELEMENT_NODE && /\bselect2/.test(node.className),
      ),
    );

  function nameAllSelect2() {
    document.querySelectorAll(".select2-container").forEach(nameSelect2);
  }

  function plainEmptyHeadings() {
    for (const heading of document.querySelectorAll(".tabular thead th")) {
      if (!heading.textContent.trim()) {
        const cell = document.createElement("td");
        cell.className = heading.className;
        heading.replaceWith(cell);
      }
    }
  }

  // django-prose-editor announces each editor it makes (its <textarea> is hidden).
  document.addEventListener("prose-editor:ready", (event) => {
    const name = nameOf(event.detail.textarea);
    if (name) {
      event.detail.editor.view.dom.setAttribute("aria-label", name);
    }
  });

  function start() {
    plainEmptyHeadings();
    nameAllSelect2();
    // select2 starts after this script (Django's autocomplete.js on jQuery's ready,
    // or on a row added with "Add another") and redraws as choices change.
    new MutationObserver((records) => {
      if (drawsSelect2(records)) {
        nameAllSelect2();
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
