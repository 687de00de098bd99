"use strict";
// "Pin" and "Unpin" beside the suggested related publications, done in the page: a
// pin adds a row to the related picks below (as "Add another" and a choice would),
// an unpin takes that row off (or ticks a saved row's Delete box), and the form's
// Save keeps the change with everything else typed. Nothing is sent, so nothing
// typed is lost and the page does not reload. Without JavaScript, or without the
// right to add picks, the buttons submit the form (PublicationCuration._pin).
{
  const group = () => document.getElementById("picks-group");
  const choiceOf = (row) => row.querySelector('select[name$="-to_publication"]');

  // The picks' rows with `pk` chosen, saved or added, the empty template left out.
  function rowsPicking(pk) {
    return Array.from(group().querySelectorAll("tbody > tr.form-row")).filter(
      (row) => !row.classList.contains("empty-form") && choiceOf(row)?.value === pk,
    );
  }

  let status = null;
  function say(sentence) {
    status.textContent = sentence;
  }

  function turn(button, action, title) {
    button.name = `_${action.toLowerCase()}`;
    button.textContent = action;
    button.setAttribute("aria-label", `${action} “${title}”`);
  }

  function pin(button, pk, title) {
    const [row] = rowsPicking(pk);
    const deleted = row?.querySelector('input[name$="-DELETE"]');
    if (deleted) {
      deleted.checked = false; // a saved pick, unpinned earlier on this page
    } else if (!row) {
      group().querySelector(".add-row a").click();
      const rows = group().querySelectorAll("tbody > tr.form-row:not(.empty-form)");
      const added = rows[rows.length - 1];
      const choice = choiceOf(added);
      choice.append(new Option(title, pk, true, true));
      choice.dispatchEvent(new Event("change", { bubbles: true }));
      // Last among the picks, as reorder.js numbers them.
      added.querySelector('input[name$="-position"]').value = rows.length - 1;
    }
    turn(button, "Unpin", title);
    say(`“${title}” is added to the picks below, last. Save to keep it.`);
  }

  function unpin(button, pk, title) {
    for (const row of rowsPicking(pk)) {
      const deleted = row.querySelector('input[name$="-DELETE"]');
      if (deleted) {
        deleted.checked = true;
      } else {
        row.querySelector(".inline-deletelink")?.click();
      }
    }
    turn(button, "Pin", title);
    say(`“${title}” is taken off the picks below. Save to keep it.`);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(
      '.suggested-related button[name="_pin"], .suggested-related button[name="_unpin"]',
    );
    if (!button || !group()?.querySelector(".add-row a")) {
      return; // the form is submitted, and the server pins
    }
    event.preventDefault();
    const { pk, title } = { pk: button.value, title: button.dataset.title };
    (button.name === "_pin" ? pin : unpin)(button, pk, title);
    button.focus();
  });

  function start() {
    const list = document.querySelector(".suggested-related");
    if (list) {
      status = document.createElement("p");
      status.className = "help pin-status";
      status.setAttribute("role", "status");
      list.after(status);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
