// The publication form keeps a copy of what is being written (title, introduction,
// body) in this browser while typing, so that a save that fails (an expired sign-in,
// Django's CSRF page, a lost connection) loses nothing: the next time the form opens
// with other text than the copy, a bar offers the copy back. The admin's success
// message for a publication clears its copy. And leaving the form (a link, reloading,
// closing the tab) while it holds changes that are not saved asks first.
(function () {
  "use strict";

  var PREFIX = "thinktank:local-copy:";
  var FIELDS = ["title", "lead", "body"];
  var bodyEditor = null;

  // django-prose-editor announces each editor it makes; its Tiptap editor is needed
  // to put a restored body back on screen (the textarea alone only feeds the save).
  // The body as the editor first wrote it: the editor rewrites the stored body in its
  // own words (attribute order, list items' paragraphs) without anyone typing.
  var openedBody = null;
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") {
      bodyEditor = event.detail.editor;
      openedBody = "body=" + bodyText(bodyEditor.getHTML());
    }
  });

  function storageKey() {
    // /admin/publications/publication/<id>/change/ or .../add/; nothing elsewhere.
    var match = window.location.pathname.match(/\/publication\/(?:(.+)\/change|(add))\/$/);
    if (!match) {
      return null;
    }
    return PREFIX + (match[1] || "new");
  }

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function write(key, copy) {
    try {
      window.localStorage.setItem(key, JSON.stringify(copy));
    } catch (error) {
      // Storage full or switched off: the form still works, without the copy.
    }
  }

  function currentText(form) {
    var text = {};
    FIELDS.forEach(function (name) {
      text[name] = form.elements[name] ? form.elements[name].value : "";
    });
    return text;
  }

  // Every field of the form, as it holds them now (a chosen file by its name). The
  // form has changed when these differ from what they were when the page opened:
  // select2's boxes, the date shortcuts and "Move up" set values without an event.
  function contents(form) {
    return Array.from(new FormData(form), function (entry) {
      var value = typeof entry[1] === "string" ? entry[1] : entry[1].name;
      return entry[0] + "=" + (entry[0] === "body" ? bodyText(value) : value);
    });
  }

  // The body's empty paragraphs at its end are not part of it: the editor keeps one
  // below a final table or list (TrailingNode), and saving drops them
  // (publications/richtext/sanitize.py).
  var EMPTY_PARAGRAPHS_AT_THE_END = /(?:\s*<p>\s*<\/p>)+\s*$/;
  function bodyText(html) {
    return html.replace(EMPTY_PARAGRAPHS_AT_THE_END, "");
  }

  function sameText(one, other) {
    return FIELDS.every(function (name) {
      return (one[name] || "") === (other[name] || "");
    });
  }

  function clock(milliseconds) {
    var moment = new Date(milliseconds);
    var time = moment.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    if (moment.toDateString() === new Date().toDateString()) {
      return time;
    }
    return moment.toLocaleDateString() + " " + time;
  }

  function putBack(form, text) {
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) {
        return;
      }
      field.value = text[name] || "";
      if (name === "body" && bodyEditor) {
        bodyEditor.commands.setContent(field.value);
      }
    });
  }

  function offer(form, key, copy, editVersion) {
    var bar = document.createElement("div");
    bar.className = "local-copy-bar";
    bar.setAttribute("role", "alert");
    var message = document.createElement("p");
    message.textContent =
      "This browser kept text you were writing at " + clock(copy.savedAt) + " (not saved).";
    if (editVersion !== null && copy.editVersion !== editVersion) {
      message.textContent +=
        " The publication has been saved since you began it: compare before you save.";
    }
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button default";
    restore.textContent = "Restore the text you were writing at " + clock(copy.savedAt) + " (not saved)";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard";
    restore.addEventListener("click", function () {
      putBack(form, copy.text);
      bar.remove();
    });
    discard.addEventListener("click", function () {
      window.localStorage.removeItem(key);
      bar.remove();
    });
    bar.append(message, restore, " ", discard);
    form.parentNode.insertBefore(bar, form);
  }

  function clearSavedCopies() {
    // The admin's success message links the publication it saved: that copy was sent
    // and saved, and so was the copy of a new one when the message says "added".
    document.querySelectorAll(".messagelist .success").forEach(function (message) {
      message.querySelectorAll("a[href]").forEach(function (link) {
        var match = link.pathname.match(/\/publication\/(.+)\/change\/$/);
        if (match) {
          window.localStorage.removeItem(PREFIX + match[1]);
        }
      });
      var added = read(PREFIX + "new");
      if (added && added.sent && message.textContent.indexOf("added") !== -1) {
        window.localStorage.removeItem(PREFIX + "new");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearSavedCopies();
    var key = storageKey();
    var form = document.getElementById("publication_form");
    if (!key || !form) {
      return;
    }
    var versionField = form.elements.edit_version;
    var editVersion = versionField && versionField.value !== "" ? Number(versionField.value) : null;
    var served = currentText(form);
    var added = read(PREFIX + "new");
    if (key !== PREFIX + "new" && added && added.sent && added.text &&
        added.text.title === served.title && document.querySelector(".messagelist .success")) {
      // A workflow button on the add form saves and opens the new publication's own
      // form, whose message names no publication: the title says the copy was saved.
      window.localStorage.removeItem(PREFIX + "new");
    }
    var copy = read(key);
    // A form shown again with errors holds the text that was sent: nothing to offer.
    var shownAgain = Boolean(document.querySelector(".errornote"));
    if (copy && copy.text && !shownAgain && !sameText(copy.text, served)) {
      offer(form, key, copy, editVersion);
    } else if (copy && sameText(copy.text || {}, served)) {
      window.localStorage.removeItem(key);
      copy = null;
    }
    var startedAt = copy && !sameText(copy.text || {}, served) ? copy.editVersion : editVersion;
    var opened = contents(form);
    function changed() {
      var now = contents(form);
      return now.length !== opened.length || now.some(function (entry, index) {
        var before = opened[index];
        if (openedBody !== null && before.indexOf("body=") === 0) {
          before = openedBody;
        }
        return entry !== before;
      });
    }
    var saving = false;

    form.addEventListener("input", function () {
      if (changed()) {
        write(key, {
          text: currentText(form),
          savedAt: Date.now(),
          editVersion: startedAt,
          sent: false,
        });
      }
    });
    form.addEventListener("submit", function (event) {
      if (event.target !== form) {
        return; // a dialog's own form inside this one (the editor's link dialog)
      }
      saving = true;
      var kept = read(key);
      if (kept) {
        kept.sent = true;
        write(key, kept);
      }
    });
    // A form shown again with errors holds what was sent and not saved.
    window.addEventListener("beforeunload", function (event) {
      if (!saving && (shownAgain || changed())) {
        event.preventDefault();
        event.returnValue = ""; // what older browsers look for
      }
    });
  });
})();
