/**
 * Reading what `git diff` prints: the NUL-separated `--name-status` and
 * `--numstat` lists, and a patch cut into per-file sections and hunks.
 *
 * @module
 */

/**
 * What happened to a file.
 *
 * @example
 * ```ts
 * import type { FileStatus } from "./patch.ts";
 * const status: FileStatus = "renamed";
 * ```
 */
export type FileStatus = "added" | "modified" | "deleted" | "renamed";

/**
 * One hunk of a file's patch: its `@@ … @@` line and the lines under it,
 * each with its first character (` `, `+`, `-`, `\`).
 *
 * @example
 * ```ts
 * import type { DiffHunk } from "./patch.ts";
 * const hunk: DiffHunk = { header: "@@ -1 +1 @@", lines: ["-old", "+new"] };
 * ```
 */
export interface DiffHunk {
  /** The `@@ -a,b +c,d @@ …` line. */
  header: string;
  /** The lines of the hunk. */
  lines: string[];
}

/**
 * One file of a diff.
 *
 * @example
 * ```ts
 * import type { FileDiff } from "./patch.ts";
 * const file: FileDiff = {
 *   path: "notes.txt", status: "modified", additions: 1, deletions: 1,
 *   binary: false, hunks: [{ header: "@@ -1 +1 @@", lines: ["-old", "+new"] }],
 * };
 * ```
 */
export interface FileDiff {
  /** Its path (the new one for a rename), relative to the tree. */
  path: string;
  /** Its path before a rename. */
  oldPath?: string;
  /** What happened to it. */
  status: FileStatus;
  /** Lines added (0 for a binary file). */
  additions: number;
  /** Lines removed (0 for a binary file). */
  deletions: number;
  /** Whether git sees it as binary (then it has no hunks). */
  binary: boolean;
  /** Its hunks. */
  hunks: DiffHunk[];
}

/** The status of a `--name-status` letter. */
function statusOf(letter: string): FileStatus {
  if (letter === "A") return "added";
  if (letter === "D") return "deleted";
  if (letter === "R" || letter === "C") return "renamed";
  return "modified"; // M, T (type change), U, X
}

/**
 * The files of `git diff --name-status -z` output, with no counts or hunks
 * yet.
 *
 * @example
 * ```ts
 * import { parseNameStatus } from "./patch.ts";
 * parseNameStatus("M\0a.txt\0R100\0old.txt\0new.txt\0");
 * // [{ path: "a.txt", status: "modified", … }, { path: "new.txt", oldPath: "old.txt", status: "renamed", … }]
 * ```
 * @param out what git printed
 */
export function parseNameStatus(out: string): FileDiff[] {
  const fields = out.split("\0");
  const files: FileDiff[] = [];
  for (let i = 0; i + 1 < fields.length;) {
    const letters = fields[i];
    if (letters === "") {
      i++;
      continue;
    }
    const status = statusOf(letters[0]);
    const twoPaths = letters[0] === "R" || letters[0] === "C";
    const counts = { additions: 0, deletions: 0, binary: false, hunks: [] };
    files.push(
      twoPaths
        ? { path: fields[i + 2], oldPath: fields[i + 1], status, ...counts }
        : { path: fields[i + 1], status, ...counts },
    );
    i += twoPaths ? 3 : 2;
  }
  return files;
}

/**
 * The line counts of `git diff --numstat -z` output, in its order;
 * `undefined` counts for a binary file.
 *
 * @example
 * ```ts
 * import { parseNumstat } from "./patch.ts";
 * parseNumstat("3\t1\ta.txt\0-\t-\timg.png\0");
 * // [{ additions: 3, deletions: 1 }, { additions: undefined, deletions: undefined }]
 * ```
 * @param out what git printed
 */
export function parseNumstat(
  out: string,
): { additions: number | undefined; deletions: number | undefined }[] {
  const fields = out.split("\0");
  const counts = [];
  for (let i = 0; i < fields.length; i++) {
    const match = fields[i].match(/^(\d+|-)\t(\d+|-)\t(.*)$/s);
    if (!match) continue;
    counts.push({
      additions: match[1] === "-" ? undefined : Number(match[1]),
      deletions: match[2] === "-" ? undefined : Number(match[2]),
    });
    // A rename's entry has an empty path, then its old and new paths.
    if (match[3] === "") i += 2;
  }
  return counts;
}

/**
 * A patch cut into its files' sections (each from its `diff --git` line
 * on), each cut into hunks. A line of a hunk never starts with `diff`, so
 * the sections follow the files in git's order.
 *
 * @example
 * ```ts
 * import { patchSections } from "./patch.ts";
 * const [section] = patchSections("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
 * console.log(section.hunks); // [{ header: "@@ -1 +1 @@", lines: ["-a", "+b"] }]
 * ```
 * @param patch what `git diff` printed
 */
export function patchSections(
  patch: string,
): { binary: boolean; hunks: DiffHunk[] }[] {
  const sections: { binary: boolean; hunks: DiffHunk[] }[] = [];
  let hunk: DiffHunk | undefined;
  const lines = patch.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("diff --git ")) {
      sections.push({ binary: false, hunks: [] });
      hunk = undefined;
      continue;
    }
    const section = sections.at(-1);
    if (!section) continue;
    if (line.startsWith("@@")) {
      hunk = { header: line, lines: [] };
      section.hunks.push(hunk);
    } else if (hunk) {
      hunk.lines.push(line);
    } else if (
      line.startsWith("Binary files ") || line === "GIT binary patch"
    ) {
      section.binary = true;
    }
  }
  return sections;
}
