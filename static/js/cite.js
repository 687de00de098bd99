// "Copy citation": copies the citation text and says so to screen readers too.
// Without JavaScript (or a clipboard) the button stays hidden and the text is selectable.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  if (!source || !status || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", () => {
    // Emptied first, so that a second copy is announced again.
    status.textContent = "";
    navigator.clipboard.writeText(source.textContent.trim()).then(
      () => {
        status.textContent = "Copied";
      },
      () => {
        status.textContent = "Could not copy: select the text and copy it instead";
      },
    );
  });
});
