"use strict";
// The tag field as chips, with the existing tags offered as you type, each with the
// number of publications that use it, on the admin's own select2. The text box
// (comma-separated, as it works without JavaScript) stays in the form, hidden,
// and is rewritten from the chips, so the server reads the same field either way.
// A typed name that differs from an existing tag only in case or spacing is not
// offered as new: the existing tag is.
{
  const $ = django.jQuery;
  const tidy = (name) => name.split(/\s+/).filter(Boolean).join(" ");
  const key = (name) => tidy(name).toLocaleLowerCase();
  // As the server reads the box: a name holding a comma or a quote is quoted.
  const quoted = (name) => (/[,"]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name);

  function label(item) {
    if (item.loading) {
      return item.text;
    }
    if (item.isNew) {
      return `Add the new tag “${item.text}”`;
    }
    if (item.count === undefined) {
      return item.text;
    }
    return `${item.text} (${item.count} publication${item.count === 1 ? "" : "s"})`;
  }

  function enhance(input) {
    const select = document.createElement("select");
    select.multiple = true;
    // The field's label now names the chips.
    select.id = input.id;
    input.id = `${input.id}_text`;
    for (const name of JSON.parse(input.dataset.tagNames)) {
      select.add(new Option(name, name, true, true));
    }
    input.type = "hidden";
    input.after(select);
    $(select).select2({
      tags: true,
      width: "100%",
      tokenSeparators: [],
      ajax: {
        url: input.dataset.sourceUrl,
        dataType: "json",
        delay: 200,
        data: (params) => ({ term: params.term || "" }),
      },
      createTag: (params) => {
        const name = tidy(params.term);
        return name ? { id: name, text: name, isNew: true } : null;
      },
      insertTag: (results, tag) => {
        if (!results.some((item) => key(item.text) === key(tag.text))) {
          results.push(tag);
        }
      },
      templateResult: label,
    });
    $(select).on("change", () => {
      input.value = ($(select).val() || []).map(quoted).join(", ");
    });
  }

  function start() {
    document.querySelectorAll("input.tag-autocomplete").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
