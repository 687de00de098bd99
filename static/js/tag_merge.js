"use strict";
// The merge confirmation's sentence names the tag that stays, and follows the
// choice. Without JavaScript it names the default, and the radio buttons say
// which was chosen.
document.addEventListener("DOMContentLoaded", () => {
  const sentence = document.getElementById("merge-sentence");
  const form = sentence && sentence.closest("form");
  const first = form && form.querySelector('input[name="survivor"]:checked');
  if (!first) return;
  const nameOf = (radio) => form.querySelector(`label[for="${radio.id}"]`).textContent;
  const said = sentence.textContent;
  const firstName = nameOf(first);
  form.addEventListener("change", (event) => {
    if (event.target.name === "survivor") {
      sentence.textContent = said.replace(`“${firstName}”`, `“${nameOf(event.target)}”`);
    }
  });
});
