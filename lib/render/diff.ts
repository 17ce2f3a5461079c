/**
 * A session's diff for a person (`aimax diff`): the patch as `git diff`
 * prints it, coloured the way git colours it when colour is on, or one
 * line per file and the short change count (`--stat`). Every text from git
 * passes through {@linkcode terminalText} first; the colour is added after.
 *
 * @module
 */
import type { SessionDiff } from "../backend/contract.ts";
import { paint, terminalText } from "../terminal.ts";
import { displayWidth, oneLine } from "./table.ts";

/**
 * Options of {@linkcode diffLines} and {@linkcode diffStatLines}.
 *
 * @example
 * ```ts
 * import type { DiffTextOptions } from "./diff.ts";
 * const options: DiffTextOptions = { color: true };
 * ```
 */
export interface DiffTextOptions {
  /** Colour added lines green, removed red, headers as git does. */
  readonly color?: boolean;
}

/** How a line of a patch is coloured, by how it starts (git's defaults). */
function paintPatchLine(line: string, color: boolean): string {
  if (!color || line === "") return line;
  if (
    line.startsWith("diff --git ") || line.startsWith("--- ") ||
    line.startsWith("+++ ") || line.startsWith("index ") ||
    line.startsWith("new file mode ") ||
    line.startsWith("deleted file mode ") ||
    line.startsWith("similarity index ") || line.startsWith("rename from ") ||
    line.startsWith("rename to ") || line.startsWith("old mode ") ||
    line.startsWith("new mode ") || line.startsWith("Binary files ")
  ) {
    return paint(line, "bold", true);
  }
  if (line.startsWith("@@")) {
    // The range is cyan, the function context after it plain.
    const end = line.indexOf("@@", 2);
    if (end < 0) return paint(line, "cyan", true);
    return paint(line.slice(0, end + 2), "cyan", true) + line.slice(end + 2);
  }
  if (line.startsWith("+")) return paint(line, "green", true);
  if (line.startsWith("-")) return paint(line, "red", true);
  return line;
}

/**
 * The patch of `diff` as lines, as `git diff` prints it: made safe for a
 * terminal, then coloured when `color` is on. No lines when nothing
 * changed.
 *
 * @example
 * ```ts ignore
 * import { diffLines } from "./diff.ts";
 * for (const line of diffLines(await backend.diff("s1"), { color: false })) {
 *   console.log(line);
 * }
 * ```
 * @param diff the session's diff
 * @param options `color`
 */
export function diffLines(
  diff: Pick<SessionDiff, "patchText">,
  options: DiffTextOptions = {},
): string[] {
  const text = terminalText(diff.patchText);
  if (text === "") return [];
  const lines = (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  return lines.map((line) => paintPatchLine(line, options.color ?? false));
}

/** The word of a file's status in `--stat`, padded. */
const STATUS_WORDS: Readonly<Record<string, string>> = {
  added: "added",
  modified: "modified",
  deleted: "deleted",
  renamed: "renamed",
};

/**
 * `diff` as one line per file (its status, lines added and removed, its
 * path; `old → new` for a rename; `binary` instead of counts), then the
 * short change count (`+12 −3, 2 files`).
 *
 * @example
 * ```ts ignore
 * import { diffStatLines } from "./diff.ts";
 * diffStatLines(diff); // ["modified  +1 −1  notes.txt", "+1 −1, 1 file"]
 * ```
 * @param diff the session's diff
 * @param options `color`
 */
export function diffStatLines(
  diff: Pick<SessionDiff, "files" | "shortStat">,
  options: DiffTextOptions = {},
): string[] {
  const color = options.color ?? false;
  const rows = diff.files.map((file) => {
    const status = STATUS_WORDS[file.status] ?? oneLine(String(file.status));
    const added = `+${Number(file.additions) || 0}`;
    const removed = `\u2212${Number(file.deletions) || 0}`;
    const path = file.oldPath !== undefined && file.oldPath !== file.path
      ? `${oneLine(String(file.oldPath))} \u2192 ${oneLine(String(file.path))}`
      : oneLine(String(file.path));
    return { status, added, removed, binary: file.binary === true, path };
  });
  const widest = (values: string[]) =>
    Math.max(0, ...values.map((v) => displayWidth(v)));
  const statusWidth = widest(rows.map((r) => r.status));
  const countWidth = widest(
    rows.map((r) => r.binary ? "binary" : `${r.added} ${r.removed}`),
  );
  const lines = rows.map((r) => {
    const counts = r.binary ? "binary" : `${r.added} ${r.removed}`;
    const shown = r.binary
      ? counts
      : `${paint(r.added, "green", color)} ${paint(r.removed, "red", color)}`;
    return `${r.status.padEnd(statusWidth)}  ${shown}${
      " ".repeat(countWidth - displayWidth(counts))
    }  ${r.path}`;
  });
  lines.push(oneLine(diff.shortStat));
  return lines;
}
