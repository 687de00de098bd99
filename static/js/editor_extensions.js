// Two changes to django-prose-editor's own extensions, loaded as an extension module
// (DJANGO_PROSE_EDITOR_EXTENSIONS in settings): the editor uses these in their place.
import {
  Link as ProseLink,
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
