/**
 * `aimax merge`: a session's worktree brought into the main tree.
 *
 * @module
 */
import { mergeLines } from "../render/worktree.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { MERGE_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need } from "./shared.ts";

/**
 * Runs `aimax merge [-b BACKEND] -s ID [--squash] [--message M]`. A dirty
 * main tree or a conflict is an error (`dirty_tree`, `merge_conflict`)
 * naming the files, with nothing changed.
 *
 * @example
 * ```ts ignore
 * import { merge } from "./merge.ts";
 * const code = await merge(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function merge(
  { values, io, emit }: CommandContext<typeof MERGE_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const merged = await backend.merge(sessionId, {
    squash: values.squash,
    message: values.message,
  });
  emit(merged, () => {
    for (const line of mergeLines(merged, { squash: values.squash })) {
      io.out(line);
    }
  });
  return EXIT.ok;
}
