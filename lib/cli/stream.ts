/**
 * `aimax stream`: follow the transcript live until Ctrl-C.
 *
 * @module
 */
import { type CommandContext, EXIT } from "./command.ts";
import { eventJson, followUntilSignal } from "./events.ts";
import { jsonLine } from "../terminal.ts";
import type { STREAM_OPTIONS } from "./options.ts";
import { conversationFor } from "./conversation.ts";
import { backendFor } from "./backend_for.ts";
import { need, offsetOption } from "./shared.ts";

/**
 * Runs `aimax stream [-b BACKEND] -s ID [--from-sentinel N] [--events] [--all] [--offsets]`.
 *
 * @example
 * ```ts ignore
 * import { stream } from "./stream.ts";
 * const code = await stream(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function stream(
  { values, io, json }: CommandContext<typeof STREAM_OPTIONS>,
): Promise<number> {
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
}
