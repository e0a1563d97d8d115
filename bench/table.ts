/**
 * Plain-text tables for the terminal: a header, a rule, and columns padded
 * to their widest cell, numeric columns right-aligned, so that a section's
 * figures line up and read at a glance in a CI log.
 *
 * @module
 */

/** A cell: text as is, numbers formatted by the caller or printed as they are. */
export type Cell = string | number;

/** `12`, `1,234.5`, `0.42×`, `35%`: a cell that reads as one number. */
const isNumeric = (cell: string) => /^[-+]?[\d,.]+[×%]?$/.test(cell);

/** Renders `rows` under `headers`, two spaces between columns, indented by two. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const text = rows.map((row) => headers.map((_, i) => String(row[i] ?? "")));
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...text.map((row) => (row[i] as string).length)),
  );
  // A column is right-aligned when every non-empty cell in it is a number.
  const numeric = headers.map((_, i) =>
    text.every((row) => (row[i] as string) === "" || isNumeric(row[i] as string)),
  );
  const line = (cells: readonly string[], align: boolean) =>
    `  ${cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return align && numeric[i] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd()}`;
  return [
    line(headers, false),
    line(
      widths.map((w) => "-".repeat(w)),
      false,
    ),
    ...text.map((row) => line(row, true)),
  ].join("\n");
}
