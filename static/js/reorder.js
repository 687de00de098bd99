"use strict";
// Reordering the rows of a fieldset marked "reorderable" (the byline, the related
// picks, the featured order): drag a row by its handle, or use "Move up" and
// "Move down" from the keyboard. Either way the rows' position numbers are
// rewritten to follow the rows, so the server sees only numbers, as it does
// without JavaScript. A dragged row follows the pointer's height among its
// rows, wherever the pointer is (above the first row, it goes first; below the
// last, last), and the numbers are rewritten when the drag ends, wherever it
// was dropped: the order shown is the order saved.
{
  const positionOf = (row) => row.querySelector('input[name$="position"]');

  // A row worth numbering: one already saved, or with its choice made (an empty
  // extra row given a number would count as filled in and be refused).
  function isFilled(row) {
    const id = row.querySelector('input[name$="-id"]');
    const choice = row.querySelector("select");
    return Boolean((id && id.value) || !choice || choice.value);
  }

  const rowsOf = (tbody) =>
    Array.from(tbody.querySelectorAll(":scope > tr")).filter(
      (row) => !row.classList.contains("empty-form") && positionOf(row),
    );

  function renumber(tbody) {
    let position = 0;
    for (const row of rowsOf(tbody)) {
      if (isFilled(row)) {
        positionOf(row).value = position;
        position += 1;
      }
    }
  }

  function move(row, offset) {
    const rows = rowsOf(row.parentElement);
    const target = rows[rows.indexOf(row) + offset];
    if (!target) {
      return;
    }
    target.insertAdjacentElement(offset < 0 ? "beforebegin" : "afterend", row);
    renumber(row.parentElement);
  }

  function button(label, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button reorder-button";
    element.textContent = label;
    element.addEventListener("click", () => {
      onClick();
      element.focus();
    });
    return element;
  }

  let dragged = null;

  // Put `row` before the first of its fellow rows whose middle is below `y`.
  function place(row, y) {
    const others = rowsOf(row.parentElement).filter((other) => other !== row);
    const next = others.find((other) => {
      const box = other.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    if (next) {
      if (row.nextElementSibling !== next) {
        next.before(row);
      }
    } else if (others.length) {
      others[others.length - 1].after(row);
    }
  }

  document.addEventListener("dragover", (event) => {
    if (!dragged) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    place(dragged, event.clientY);
  });
  document.addEventListener("drop", (event) => {
    if (dragged) {
      event.preventDefault();
    }
  });

  function enhance(row) {
    if (row.dataset.reorderable || !positionOf(row)) {
      return;
    }
    row.dataset.reorderable = "yes";
    const handle = document.createElement("span");
    handle.className = "reorder-handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder";
    handle.draggable = true;
    handle.addEventListener("dragstart", (event) => {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      event.dataTransfer.setDragImage(row, 0, 0);
    });
    // Fired whether the row was dropped on another row, beside the table or
    // nowhere at all (Escape): the rows stay where the drag left them.
    handle.addEventListener("dragend", () => {
      dragged = null;
      renumber(row.parentElement);
    });
    const cell = positionOf(row).closest("td");
    cell.prepend(handle);
    cell.append(
      button("Move up", () => move(row, -1)),
      button("Move down", () => move(row, 1)),
    );
  }

  function start() {
    for (const fieldset of document.querySelectorAll("fieldset.reorderable")) {
      for (const tbody of fieldset.querySelectorAll("tbody")) {
        rowsOf(tbody).forEach(enhance);
      }
    }
  }

  // Rows added with "Add another" get the controls too.
  document.addEventListener("formset:added", (event) => {
    if (event.target.closest("fieldset.reorderable")) {
      enhance(event.target);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
