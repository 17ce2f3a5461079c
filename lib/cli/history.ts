/**
 * `aimax history`: the transcript so far, as a conversation, and its
 * sentinel.
 *
 * @module
 */
import { paint } from "../terminal.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { HISTORY_OPTIONS } from "./options.ts";
import { conversationFor } from "./conversation.ts";
import { backendFor } from "./backend_for.ts";
import { need, offsetOption } from "./shared.ts";

/**
 * Runs `aimax history [-b BACKEND] -s ID [--limit N] [--from-sentinel N] [--all] [--offsets]`.
 *
 * @example
 * ```ts ignore
 * import { history } from "./history.ts";
 * const code = await history(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function history(
  { values, io, emit }: CommandContext<typeof HISTORY_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const history = await backend.getHistory(sessionId, {
    fromOffset: offsetOption(values, "from-sentinel"),
    limit: offsetOption(values, "limit"),
  });
  emit(history, () => {
    const renderer = conversationFor(io, { backend, values });
    for (const entry of history.entries) {
      for (const line of renderer.lines(entry)) io.out(line);
    }
    for (const line of renderer.flush()) io.out(line);
    io.out(paint(
      `-- ${history.entries.length} of ${history.total} entries; sentinel ${history.sentinel}`,
      "dim",
      io.color?.() ?? false,
    ));
  });
  return EXIT.ok;
}
