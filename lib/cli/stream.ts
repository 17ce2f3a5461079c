/**
 * `aimax stream`: follow the transcript live until Ctrl-C.
 *
 * @module
 */
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import { eventJson, eventLine, waitForSignal } from "./events.ts";
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
 * `aimax stream [-b BACKEND] -s ID [--from-sentinel N]`.
 *
 * @example
 * ```ts
 * import { stream } from "./stream.ts";
 * console.log(stream.help);
 * ```
 */
export const stream = defineCommand({
  name: "stream",
  summary: "follow the transcript live (Ctrl-C to stop)",
  help: `Usage: aimax stream [-b BACKEND] -s ID [--from-sentinel N]

Follows the transcript live until Ctrl-C. With --from-sentinel, resumes
exactly after a history read: nothing repeated, nothing missed.
With --json, one JSON entry ({offset, end, value}) per line.
  --events               the same, as events of the one model of both agents
                         (user_message, assistant_message, tool_call,
                         tool_result, turn_started, turn_completed,
                         turn_aborted); with --json one event per line
${COMMON_HELP}`,
  options: {
    ...BACKEND_OPTION,
    ...SESSION_OPTION,
    ...FROM_SENTINEL_OPTION,
    events: { type: "boolean" },
  },
  async run({ values, io, json }) {
    const sessionId = need(values, "session");
    const backend = await backendFor(values);
    const fromOffset = offsetOption(values, "from-sentinel");
    const stop = values.events
      ? await backend.getEventStream(
        sessionId,
        (event) => io.out(json ? eventJson(event) : eventLine(event)),
        { fromOffset },
      )
      : await backend.getAgentRawThoughtStream(
        sessionId,
        (_raw, entry) =>
          io.out(json ? JSON.stringify(entry) : entryLine(entry)),
        { fromOffset },
      );
    if (!json) io.err("streaming; Ctrl-C to stop");
    await waitForSignal();
    await stop();
    return EXIT.ok;
  },
});
