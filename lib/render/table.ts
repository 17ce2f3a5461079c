/**
 * Aligned text tables, as `docker ps` or `kubectl get` print them: a header,
 * columns two spaces apart, cells cut with `…` so that a row fits the
 * terminal (unless `wide`), colour only on the cells that ask for it, and no
 * trailing spaces.
 *
 * @module
 */
import { paint, terminalText } from "../terminal.ts";

/**
 * A colour or emphasis a cell may ask for (applied only when colour is on).
 *
 * @example
 * ```ts
 * import type { Style } from "./table.ts";
 * const style: Style = "yellow";
 * ```
 */
export type Style = "red" | "green" | "yellow" | "dim" | "bold";

/**
 * One cell: its text and, optionally, its style.
 *
 * @example
 * ```ts
 * import type { Cell } from "./table.ts";
 * const cell: Cell = { text: "working", style: "yellow" };
 * ```
 */
export interface Cell {
  /** The text (one line; whitespace runs become one space). */
  readonly text: string;
  /** How to colour it on a terminal. */
  readonly style?: Style;
}

/**
 * One column: its header and whether it may be cut to fit.
 *
 * @example
 * ```ts
 * import type { Column } from "./table.ts";
 * const cwd: Column = { header: "CWD", shrink: true };
 * ```
 */
export interface Column {
  /** The header text (never cut). */
  readonly header: string;
  /** Cut this column's cells (widest first) when the table is too wide. */
  readonly shrink?: boolean;
}

/**
 * Options of {@linkcode renderTable}.
 *
 * @example
 * ```ts
 * import type { TableOptions } from "./table.ts";
 * const options: TableOptions = { width: 80, color: false };
 * ```
 */
export interface TableOptions {
  /** The terminal's width; none: nothing is cut. */
  readonly width?: number;
  /** Show every cell whole, whatever the width. */
  readonly wide?: boolean;
  /** Colour styled cells. */
  readonly color?: boolean;
}

const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
const ZERO = /[\p{Mn}\p{Me}\u200B-\u200D\uFE0F]/u;

/**
 * How many terminal columns `text` takes (wide East Asian characters and
 * emoji count two, combining marks none).
 *
 * @example
 * ```ts
 * import { displayWidth } from "./table.ts";
 * displayWidth("abc"); // 3
 * ```
 * @param text one line
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    width += ZERO.test(char) ? 0 : WIDE.test(char) ? 2 : 1;
  }
  return width;
}

/**
 * `text` cut to `width` columns, ending with `…` when it was cut.
 *
 * @example
 * ```ts
 * import { cut } from "./table.ts";
 * cut("/home/ada/src/app", 8); // "/home/a…"
 * ```
 * @param text one line
 * @param width the most columns it may take
 */
export function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  for (const char of text) {
    const w = ZERO.test(char) ? 0 : WIDE.test(char) ? 2 : 1;
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/**
 * `text` on one line, without control characters: whitespace runs become
 * one space, other control characters `?` (a cell never moves the cursor):
 * the one-line form of {@linkcode terminalText}.
 *
 * @example
 * ```ts
 * import { oneLine } from "./table.ts";
 * oneLine("a\n  b"); // "a b"
 * ```
 * @param text any text
 */
export function oneLine(text: string): string {
  return terminalText(text.replace(/\s+/g, " ")).trim();
}

function cellOf(value: string | Cell): Cell {
  const cell = typeof value === "string" ? { text: value } : value;
  return { ...cell, text: oneLine(cell.text) };
}

/** The columns' widths after cutting the widest shrinkable ones to fit. */
function widthsOf(
  columns: readonly Column[],
  rows: readonly Cell[][],
  options: TableOptions,
): number[] {
  const widths = columns.map((c, i) =>
    Math.max(
      displayWidth(c.header),
      ...rows.map((r) => displayWidth(r[i]?.text ?? "")),
    )
  );
  if (options.wide || options.width === undefined) return widths;
  const gaps = 2 * (columns.length - 1);
  let excess = widths.reduce((a, b) => a + b, gaps) - options.width;
  while (excess > 0) {
    let widest = -1;
    columns.forEach((c, i) => {
      const floor = Math.max(displayWidth(c.header), 4);
      if (
        c.shrink && widths[i] > floor &&
        (widest < 0 || widths[i] > widths[widest])
      ) {
        widest = i;
      }
    });
    if (widest < 0) break; // nothing left to cut: the terminal wraps
    widths[widest]--;
    excess--;
  }
  return widths;
}

/**
 * The lines of a table: the header, then one line per row.
 *
 * @example
 * ```ts
 * import { renderTable } from "./table.ts";
 * const lines = renderTable(
 *   [{ header: "SESSION" }, { header: "CWD", shrink: true }],
 *   [["demo", "/home/ada/src/a-long-project-name"]],
 *   { width: 24 },
 * );
 * // ["SESSION  CWD", "demo     /home/ada/src/a-…"]
 * ```
 * @param columns the columns, left to right
 * @param rows the cells of each row, one per column
 * @param options width, `wide` and colour
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly (string | Cell)[])[],
  options: TableOptions = {},
): string[] {
  const cells = rows.map((row) => columns.map((_, i) => cellOf(row[i] ?? "")));
  const widths = widthsOf(columns, cells, options);
  const line = (row: Cell[]) =>
    row.map((cell, i) => {
      const text = cut(cell.text, widths[i]);
      const pad = i === row.length - 1
        ? ""
        : " ".repeat(widths[i] - displayWidth(text));
      return (cell.style
        ? paint(text, cell.style, options.color ?? false)
        : text) +
        pad;
    }).join("  ").trimEnd();
  return [
    line(columns.map((c) => ({ text: c.header }))),
    ...cells.map(line),
  ];
}
