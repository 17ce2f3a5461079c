/**
 * `aimax history`: the transcript so far and its sentinel.
 *
 * @module
 */
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import {
  BACKEND_OPTION,
  backendFor,
  entryLine,
  FROM_SENTINEL_OPTION,
  need,
  offsetOption,
  SESSION_OPTION,
} from "./shared.ts";

/**
 * `aimax history [-b BACKEND] -s ID [--limit N] [--from-sentinel N]`.
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
  help: `Usage: aimax history [-b BACKEND] -s ID [--limit N] [--from-sentinel N]

Prints the transcript; the sentinel is the byte offset to stream from.
${COMMON_HELP}`,
  options: {
    ...BACKEND_OPTION,
    ...SESSION_OPTION,
    ...FROM_SENTINEL_OPTION,
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
      for (const entry of history.entries) io.out(entryLine(entry));
      io.out(
        `-- ${history.entries.length} of ${history.total} entries; sentinel ${history.sentinel}`,
      );
    });
    return EXIT.ok;
  },
});
