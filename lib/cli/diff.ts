/**
 * `aimax diff`: a session's changes against its worktree's base, as
 * `git diff` prints them, or one line per file (`--stat`).
 *
 * @module
 */
import { diffLines, diffStatLines } from "../render/diff.ts";
import { oneLine } from "../render/table.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { DIFF_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need } from "./shared.ts";

/**
 * Runs `aimax diff [-b BACKEND] -s ID [--stat]`.
 *
 * @example
 * ```ts ignore
 * import { diff } from "./diff.ts";
 * const code = await diff(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function diff(
  { values, io, emit }: CommandContext<typeof DIFF_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const changes = await backend.diff(sessionId);
  emit(changes, () => {
    const color = io.color?.() ?? false;
    if (values.stat) {
      io.out(diffStatLines(changes, { color }).join("\n"));
      return;
    }
    if (changes.files.length === 0) {
      io.err(
        `no changes on ${oneLine(changes.branch)} since ${
          oneLine(changes.baseCommit).slice(0, 8)
        }`,
      );
      return;
    }
    const lines = diffLines(changes, { color });
    if (lines.length > 0) io.out(lines.join("\n"));
    if (changes.truncated) {
      io.err(
        "aimax: the patch is cut here (too long); --stat and --json have every file",
      );
    }
  });
  return EXIT.ok;
}
