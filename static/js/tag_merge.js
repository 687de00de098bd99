"use strict";
// The merge confirmation's sentence names the tag that stays: it follows the
// choice. Without JavaScript it names the default, and the radio buttons say
// which was chosen.
{
  const sentence = document.getElementById("merge-sentence");
  const form = sentence && sentence.closest("form");
  if (form) {
    const named = sentence.textContent;
    const first = form.querySelector('input[name="survivor"]:checked');
    const firstName = first && form.querySelector(`label[for="${first.id}"]`).textContent;
    form.addEventListener("change", (event) => {
      if (event.target.name !== "survivor" || !firstName) return;
      const name = form.querySelector(`label[for="${event.target.id}"]`).textContent;
      sentence.textContent = named.replace(`“${firstName}”`, `“${name}”`);
    });
  }
}
