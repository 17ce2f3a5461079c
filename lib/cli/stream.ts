/**
 * `aimax stream`: follow the transcript live until Ctrl-C.
 *
 * @module
 */
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import { eventJson, followUntilSignal } from "./events.ts";
import { jsonLine } from "../terminal.ts";
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
 * `aimax stream [-b BACKEND] -s ID [--from-sentinel N] [--events] [--all] [--offsets]`.
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
  help:
    `Usage: aimax stream [-b BACKEND] -s ID [--from-sentinel N] [--events] [--all] [--offsets]

Follows the conversation live until Ctrl-C, printed as \`aimax history\`
prints it. With --from-sentinel, resumes exactly after a history read:
nothing repeated, nothing missed.
With --json, one JSON entry ({offset, end, value}) per line.
  --events               with --json: one event per line instead, of the one
                         model of both agents (user_message,
                         assistant_message, tool_call, tool_result,
                         turn_started, turn_completed, turn_aborted); the
                         text output is made of these events anyway
${CONVERSATION_HELP}
${COMMON_HELP}`,
  options: {
    ...BACKEND_OPTION,
    ...SESSION_OPTION,
    ...FROM_SENTINEL_OPTION,
    ...CONVERSATION_OPTIONS,
    events: { type: "boolean" },
  },
  async run({ values, io, json }) {
    const sessionId = need(values, "session");
    const backend = await backendFor(values);
    const fromOffset = offsetOption(values, "from-sentinel");
    await followUntilSignal(io, async (handlers) => {
      let stop: () => Promise<void> | void;
      if (json && values.events) {
        stop = await backend.getEventStream(
          sessionId,
          (event) => io.out(eventJson(event)),
          { fromOffset, ...handlers },
        );
      } else {
        const renderer = json
          ? undefined
          : conversationFor(io, { backend, values });
        stop = await backend.getAgentRawThoughtStream(
          sessionId,
          (_raw, entry) => {
            if (!renderer) return io.out(jsonLine(entry));
            for (const line of renderer.lines(entry)) io.out(line);
          },
          { fromOffset, ...handlers },
        );
      }
      if (!json) io.err("streaming; Ctrl-C to stop");
      return stop;
    });
    return EXIT.ok;
  },
});
