// Changes to django-prose-editor's own extensions, loaded as an extension module
// (DJANGO_PROSE_EDITOR_EXTENSIONS in settings): the editor uses these in their place.
import {
  Caption as ProseCaption,
  canInsertNode,
  crel,
  Figure as ProseFigure,
  gettext,
  Link as ProseLink,
  Plugin,
  Table as ProseTable,
  updateAttrsDialog,
} from "django-prose-editor/editor"

// Text typed right after a link (a comma, the rest of the sentence) is not part of it.
export const Link = ProseLink.extend({
  inclusive() {
    return false
  },
})

// Data tables have a header row, so new tables start with one; it can still be declined.
const tableDialog = updateAttrsDialog(
  {
    rows: { type: "number", title: "Rows", format: "number", default: "3", min: "1", max: "100" },
    cols: { type: "number", title: "Columns", format: "number", default: "3", min: "1", max: "100" },
    withHeaderRow: { title: "Include header row", enum: ["Yes", "No"], default: "Yes" },
  },
  { title: "Table Properties", submitText: "Insert Table" },
)

export const Table = ProseTable.extend({
  addCommands() {
    return {
      ...this.parent?.(),
      insertTableWithOptions:
        () =>
        ({ editor }) => {
          tableDialog(editor, { rows: "3", cols: "3", withHeaderRow: "Yes" }).then((choice) => {
            if (!choice) return
            editor
              .chain()
              .focus()
              .insertTable({
                rows: Number.parseInt(choice.rows, 10) || 3,
                cols: Number.parseInt(choice.cols, 10) || 3,
                withHeaderRow: choice.withHeaderRow === "Yes",
              })
              .run()
          })
        },
    }
  },
})

// A figure is its picture with the caption under it; the two come and go together.
// The picture rule is the Image extension's own: an address that is not a data: URL.
const PICTURE = ':scope > img[src]:not([src^="data:"])'

const hasPicture = (figure) => Boolean(figure?.querySelector(PICTURE))

// Deleting, cutting or dragging away a figure's picture leaves the editor an empty
// image in its place (the figure must hold one), under the caption: the figure goes
// whole instead, so no caption is left behind.
const removePicturelessFigures = () =>
  new Plugin({
    appendTransaction(transactions, _oldState, { doc, tr }) {
      if (!transactions.some((transaction) => transaction.docChanged)) return null
      const pictureless = []
      doc.descendants((node, pos) => {
        if (node.type.name !== "figure") return true
        if (!node.firstChild?.attrs.src) pictureless.push([pos, pos + node.nodeSize])
        return false
      })
      for (const [from, to] of pictureless.reverse()) tr.delete(from, to)
      return pictureless.length ? tr : null
    },
  })

// The image library, searched and paged, with an upload form: chooseImage() opens it
// over the figure dialog and resolves to the chosen image ({src, alt, caption, ...}) or
// null. The server (publications.admin.images) checks uploads as it checks covers and
// answers a refusal with sentences, shown here as they are.
let libraryDialogs = 0

const field = (id, label, input) =>
  crel("div", { className: "image-library__field" }, [
    crel("label", { htmlFor: id, textContent: label }),
    input,
  ])

const csrfToken = () => document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? ""

const chooseImage = ({ libraryUrl, uploadUrl }) =>
  new Promise((resolve) => {
    const id = `image-library-${++libraryDialogs}`
    const search = crel("input", { id: `${id}-q`, type: "search", autocomplete: "off" })
    const status = crel("p", { className: "image-library__status", role: "status" })
    const results = crel("ul", { className: "image-library__results" })
    const previous = crel("button", { type: "button", textContent: gettext("Previous") })
    const next = crel("button", { type: "button", textContent: gettext("Next") })
    const file = crel("input", {
      id: `${id}-file`,
      type: "file",
      accept: "image/jpeg,image/png,image/gif,image/webp",
    })
    const title = crel("input", { id: `${id}-title`, type: "text" })
    const alt = crel("input", { id: `${id}-alt`, type: "text" })
    const decorative = crel("input", { id: `${id}-decorative`, type: "checkbox" })
    const credit = crel("input", { id: `${id}-credit`, type: "text" })
    const errors = crel("div", { className: "image-library__errors", role: "alert" })
    const upload = crel("button", { type: "button", textContent: gettext("Upload and choose") })
    const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
    const pager = crel("div", { className: "image-library__pages" }, [previous, next])
    const dialog = crel("dialog", { className: "prose-editor-dialog image-library" }, [
      crel("h3", { id: `${id}-heading`, textContent: gettext("Choose a picture") }),
      field(search.id, gettext("Search the library"), search),
      status,
      results,
      pager,
      crel("fieldset", {}, [
        crel("legend", { textContent: gettext("Or upload a new picture") }),
        field(file.id, gettext("Picture (JPEG, PNG, GIF or WebP)"), file),
        field(title.id, gettext("Title in the library (the file's name if blank)"), title),
        field(alt.id, gettext("Description (alt text)"), alt),
        crel("div", { className: "image-library__field" }, [
          decorative,
          crel("label", {
            htmlFor: decorative.id,
            textContent: gettext("Decorative: it adds nothing to the text"),
          }),
        ]),
        field(credit.id, gettext("Credit or caption"), credit),
        errors,
        upload,
      ]),
      crel("div", { className: "prose-editor-dialog-buttons" }, [cancel]),
    ])
    dialog.setAttribute("aria-labelledby", `${id}-heading`)

    let chosen = null
    let page = 1
    const choose = (image) => {
      chosen = image
      dialog.close()
    }

    const show = (data) => {
      results.replaceChildren(
        ...data.images.map((image) => {
          const button = crel("button", { type: "button" }, [
            crel("img", {
              src: image.thumbnail,
              alt: "",
              width: 80,
              height: Math.max(1, Math.round((image.height * 80) / image.width)),
            }),
            crel("span", { textContent: image.title }),
          ])
          button.addEventListener("click", () => choose(image))
          return crel("li", {}, [button])
        }),
      )
      page = data.page
      pager.hidden = data.pages <= 1
      previous.disabled = data.page <= 1
      next.disabled = data.page >= data.pages
      status.textContent = data.count
        ? `${data.count} ${data.count === 1 ? "picture" : "pictures"}, page ${data.page} of ${data.pages}.`
        : search.value.trim()
          ? `No picture in the library matches “${search.value.trim()}”.`
          : gettext("The library is empty: upload the first picture below.")
    }

    const load = (wanted) => {
      const query = new URLSearchParams({ q: search.value.trim(), page: wanted })
      fetch(`${libraryUrl}?${query}`, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response)))
        .then(show)
        .catch(() => {
          status.textContent = gettext("The library could not be reached. Try again in a moment.")
        })
    }

    let typing = null
    search.addEventListener("input", () => {
      clearTimeout(typing)
      typing = setTimeout(() => load(1), 250)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return
      event.preventDefault()
      clearTimeout(typing)
      load(1)
    })
    previous.addEventListener("click", () => load(page - 1))
    next.addEventListener("click", () => load(page + 1))
    cancel.addEventListener("click", () => dialog.close())

    upload.addEventListener("click", () => {
      const body = new FormData()
      if (file.files[0]) body.append("file", file.files[0])
      body.append("title", title.value)
      body.append("alt", alt.value)
      if (decorative.checked) body.append("decorative", "on")
      body.append("credit", credit.value)
      upload.disabled = true
      errors.replaceChildren()
      fetch(uploadUrl, { method: "POST", body, headers: { "X-CSRFToken": csrfToken() } })
        .then((response) =>
          response.json().then(
            (data) => (response.ok ? choose(data.image) : Promise.reject(data.errors)),
            () => Promise.reject(null),
          ),
        )
        .catch((sentences) => {
          const shown = Array.isArray(sentences)
            ? sentences
            : [gettext("The upload did not reach the server. Check the connection and try again.")]
          const list = shown.map((text) => crel("li", { textContent: text }))
          errors.replaceChildren(crel("ul", { className: "errorlist" }, list))
        })
        .finally(() => {
          upload.disabled = false
        })
    })

    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(chosen)
    })
    // Outside the admin's form: Enter in these boxes must not save the publication.
    document.body.append(dialog)
    dialog.showModal()
    load(1)
  })

// The picture the selection is on, with its figure's start and caption if it has a
// figure ({imageNode, imagePos, figureStart, captionNode}); null where a new figure
// would go.
const pictureAt = ({ selection }) => {
  const inFigure = (figure, figureStart) => {
    const picture = { figureStart, captionNode: null, imageNode: null, imagePos: null }
    figure.forEach((child, offset) => {
      if (child.type.name === "image") {
        picture.imageNode = child
        picture.imagePos = figureStart + 1 + offset
      } else if (child.type.name === "caption") {
        picture.captionNode = child
      }
    })
    return picture.imageNode ? picture : null
  }
  if (selection.node?.type.name === "figure") return inFigure(selection.node, selection.from)
  for (let depth = selection.$from.depth; depth > 0; depth--) {
    const node = selection.$from.node(depth)
    if (node.type.name === "figure") return inFigure(node, selection.$from.before(depth))
  }
  if (selection.node?.type.name === "image") {
    const imageNode = selection.node
    return { imageNode, imagePos: selection.from, figureStart: null, captionNode: null }
  }
  return null
}

// The figure dialog, to insert a figure or edit one: its picture chosen or uploaded from
// the image library, which fills in the address, the description and the credit as
// caption; each can be changed before saving. An address typed in that is not the
// library's is refused with a sentence when the publication is saved. A caption already
// there is edited in the text, where its formatting stays: the dialog offers one only
// to a figure without.
const figureDialog = (options, { editing, withCaption }) =>
  updateAttrsDialog(
    {
      imageUrl: {
        type: "string",
        title: gettext("Image URL"),
        required: !editing,
        picker: {
          button: crel("button", { type: "button", textContent: gettext("Choose or upload…") }),
          handler: ({ input }) =>
            chooseImage(options).then((image) => {
              if (!image) return
              const form = input.form
              input.value = image.src
              form.elements.altText.value = image.alt
              if (form.elements.caption) form.elements.caption.value = image.caption
              form.elements.altText.focus()
            }),
        },
      },
      altText: { type: "string", title: gettext("Alternative Text") },
      ...(withCaption ? { caption: { type: "string", title: gettext("Caption") } } : {}),
    },
    editing
      ? { title: gettext("Edit Figure"), submitText: gettext("Update") }
      : { title: gettext("Insert Figure"), submitText: gettext("Insert") },
  )

export const Figure = ProseFigure.extend({
  addOptions() {
    return { ...this.parent?.(), libraryUrl: null, uploadUrl: null }
  },

  // A figure stored without its picture (an address the server refused before it said
  // so) opens as its caption's words in a paragraph: kept, and not a caption of nothing.
  parseHTML() {
    return [{ tag: "figure", getAttrs: (figure) => (hasPicture(figure) ? null : false) }]
  },

  addCommands() {
    const commands = this.parent?.() ?? {}
    const { libraryUrl, uploadUrl } = this.options
    if (!libraryUrl) return commands
    const library = { libraryUrl, uploadUrl }

    const insert = (editor) =>
      figureDialog(library, { editing: false, withCaption: true })(editor, {}).then((choice) => {
        const src = choice?.imageUrl.trim()
        if (!src) return
        const caption = choice.caption.trim()
        const content = [{ type: "image", attrs: { src, alt: choice.altText.trim() } }]
        if (caption) content.push({ type: "caption", content: [{ type: "text", text: caption }] })
        editor.chain().focus().insertContent({ type: this.name, content }).run()
      })

    const edit = (editor, picture) => {
      const { imageNode, imagePos, figureStart, captionNode } = picture
      const withCaption = figureStart !== null && !captionNode
      const current = { imageUrl: imageNode.attrs.src || "", altText: imageNode.attrs.alt || "" }
      return figureDialog(library, { editing: true, withCaption })(editor, current).then(
        (choice) => {
          if (!choice) return
          const src = choice.imageUrl.trim()
          if (!src) {
            // An address emptied takes the figure (and its caption) away, as in the
            // editor's own dialog.
            const picturePos = figureStart ?? imagePos
            editor.chain().focus().setNodeSelection(picturePos).deleteSelection().run()
            return
          }
          const caption = choice.caption?.trim()
          editor
            .chain()
            .focus()
            .setNodeSelection(imagePos)
            .updateAttributes("image", { src, alt: choice.altText.trim() })
            .command(({ tr, state }) => {
              if (caption) {
                const text = state.schema.text(caption)
                tr.insert(imagePos + imageNode.nodeSize, state.schema.nodes.caption.create({}, text))
              }
              return true
            })
            .run()
        },
      )
    }

    return {
      ...commands,
      editImage:
        () =>
        ({ editor, state, dispatch }) => {
          const picture = pictureAt(state)
          if (!picture && !canInsertNode(state, state.schema.nodes[this.name])) return false
          if (!dispatch) return true
          if (picture) edit(editor, picture)
          else insert(editor)
          return true
        },
    }
  },

  addProseMirrorPlugins() {
    return [...(this.parent?.() ?? []), removePicturelessFigures()]
  },
})

export const Caption = ProseCaption.extend({
  parseHTML() {
    return [
      {
        tag: "figcaption",
        getAttrs: (caption) => (hasPicture(caption.closest("figure")) ? null : false),
      },
    ]
  },
})
