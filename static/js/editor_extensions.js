// Changes to django-prose-editor's own extensions, loaded as an extension module
// (DJANGO_PROSE_EDITOR_EXTENSIONS in settings): the editor uses these in their place.
import {
  Caption as ProseCaption,
  Figure as ProseFigure,
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

export const Figure = ProseFigure.extend({
  // A figure stored without its picture (an address the server refused before it said
  // so) opens as its caption's words in a paragraph: kept, and not a caption of nothing.
  parseHTML() {
    return [{ tag: "figure", getAttrs: (figure) => (hasPicture(figure) ? null : false) }]
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
