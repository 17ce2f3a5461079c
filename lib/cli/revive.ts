/**
 * `aimax revive`: a session whose window or tmux server is gone started
 * again in its folder (and worktree), on the same conversation.
 *
 * @module
 */
import { oneLine } from "../render/table.ts";
import { Spinner } from "../terminal.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { REVIVE_OPTIONS } from "./options.ts";
import { startedLines } from "./create.ts";
import { backendFor } from "./backend_for.ts";
import { need } from "./shared.ts";

/**
 * Runs `aimax revive [-b BACKEND] -s ID`.
 *
 * @example
 * ```ts ignore
 * import { revive } from "./revive.ts";
 * const code = await revive(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function revive(
  { values, io, json, emit }: CommandContext<typeof REVIVE_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const spinner = new Spinner(
    io.progress ?? (() => {}),
    !json && (io.interactive?.() ?? false),
  );
  spinner.start(`reviving ${backend.profile.label} session`);
  const result = await backend.revive(sessionId, {
    onProgress: (step) => spinner.update(step),
    onWarning: (message) => io.err(`aimax: warning: ${oneLine(message)}`),
  }).finally(() => spinner.stop());
  emit(result, () =>
    startedLines(io, result, {
      what: `revived ${
        oneLine(result.sessionId)
      } (${backend.profile.shortName})`,
      verbose: values.verbose === true,
    }));
  return EXIT.ok;
}
