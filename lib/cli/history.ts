/**
 * `aimax history`: the transcript so far, as a conversation, and its
 * sentinel.
 *
 * @module
 */
import { paint } from "../terminal.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import {
  BACKEND_OPTION,
  backendFor,
  CONVERSATION_HELP,
  CONVERSATION_OPTIONS,
  conversationFor,
  FROM_SENTINEL_OPTION,
  need,
  offsetOption,
  SESSION_OPTION,
} from "./shared.ts";

/**
 * `aimax history [-b BACKEND] -s ID [--limit N] [--from-sentinel N] [--all] [--offsets]`.
 *
 * @example
 * ```ts
 * import { history } from "./history.ts";
 * console.log(history.help);
 * ```
 */
export const history = defineCommand({
  name: "history",
  summary: "the transcript so far and its sentinel",
  help:
    `Usage: aimax history [-b BACKEND] -s ID [--limit N] [--from-sentinel N] [--all] [--offsets]

Prints the conversation: the prompts (❯), the assistant's text, each tool call
on one line (⏺) with its result folded to its first line (⎿), and each turn's
end with its duration. The last line gives the sentinel, the byte offset to
resume from with \`aimax stream --from-sentinel\`. With --json, the raw records
({entries: [{offset, end, value}], total, truncated, sentinel}).
      --limit N          only the last N records
      --from-sentinel N  from this byte offset on
${CONVERSATION_HELP}
${COMMON_HELP}`,
  options: {
    ...BACKEND_OPTION,
    ...SESSION_OPTION,
    ...FROM_SENTINEL_OPTION,
    ...CONVERSATION_OPTIONS,
    limit: { type: "string" },
  },
  async run({ values, io, emit }) {
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
  },
});
