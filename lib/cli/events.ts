/**
 * `aimax events`: every session's events live (new sessions join), for
 * notifications and dashboards: `aimax events --json | jq …`.
 *
 * @module
 */
import { subscribeEvents } from "../follow.ts";
import type { AgentEvent } from "../signals/events.ts";
import { validateSessionId } from "../inputs.ts";
import { type CliIo, type CommandContext, EXIT } from "./command.ts";
import { jsonLine, terminalText } from "../terminal.ts";
import type { ONE_SESSION_OPTIONS } from "./options.ts";
import { need, remoteOf } from "./shared.ts";
import { subscribeRemoteEvents } from "../remote/backend.ts";
import { clip } from "../agents/agent.ts";
import { get } from "../registry.ts";
import { oneLine } from "../render/table.ts";

/**
 * Resolves on Ctrl-C or SIGTERM, or when `signal` aborts.
 *
 * @example
 * ```ts ignore
 * import { waitForSignal } from "./events.ts";
 * await waitForSignal();
 * ```
 * @param signal ends the wait too
 */
export function waitForSignal(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * Follows a stream until Ctrl-C or SIGTERM (exit 0), or until the stream
 * fails for good: then its error is thrown (one line, its exit code). Its
 * tries again go to stderr.
 *
 * @example
 * ```ts ignore
 * import { followUntilSignal } from "./events.ts";
 * await followUntilSignal(io, (handlers) => backend.getEventStream("demo", listener, handlers));
 * ```
 * @param io where the tries again are reported
 * @param start starts the stream with the handlers and returns its stop
 */
export async function followUntilSignal(
  io: CliIo,
  start: (handlers: {
    onError: (error: Error) => void;
    onRetry: (line: string) => void;
  }) => Promise<() => Promise<void> | void>,
): Promise<void> {
  const failed = new AbortController();
  const stop = await start({
    onError: (error) => failed.abort(error),
    onRetry: (line) => io.err(`aimax: ${terminalText(line)}`),
  });
  try {
    await waitForSignal(failed.signal);
  } finally {
    await stop();
  }
  if (failed.signal.aborted) throw failed.signal.reason;
}

/**
 * Follows every session's events (or one's), on this host or on the
 * server `--server` names: what `events` and `notify` share.
 *
 * @example
 * ```ts ignore
 * import { subscribeFor } from "./events.ts";
 * const stop = await subscribeFor(values, { listener: console.log, handlers });
 * ```
 * @param values the command's `--backend` and server options
 * @param options the session (all when absent), the listener, the stream's handlers
 * @returns stops following
 */
export async function subscribeFor(
  values: { backend?: string; server?: string; "server-timeout"?: string },
  options: {
    sessionId?: string;
    listener: (event: AgentEvent) => void;
    handlers: {
      onError: (error: Error) => void;
      onRetry: (line: string) => void;
    };
  },
): Promise<() => Promise<void> | void> {
  const server = remoteOf(values);
  const { sessionId, listener, handlers } = options;
  return server
    ? await subscribeRemoteEvents(server, listener, {
      sessionId,
      backend: values.backend,
      ...handlers,
    })
    : await subscribeEvents(listener, { sessionId, backend: values.backend });
}

/**
 * One event as a JSON line (without the raw record: `stream --json` has it).
 *
 * @example
 * ```ts
 * import { eventJson } from "./events.ts";
 * eventJson({ type: "turn_started", sessionId: "s", backend: "b", at: "" });
 * ```
 * @param event the event
 */
export function eventJson(event: AgentEvent): string {
  const { raw: _raw, ...rest } = event;
  return jsonLine(rest);
}

/**
 * One event as a line for people, through {@linkcode oneLine} (an event's
 * text never reaches the terminal raw).
 *
 * @example
 * ```ts
 * import { eventLine } from "./events.ts";
 * eventLine({ type: "user_message", text: "hi", sessionId: "s", backend: "b", at: "" });
 * ```
 * @param event the event
 */
export function eventLine(event: AgentEvent): string {
  return oneLine(lineOf(event));
}

function lineOf(event: AgentEvent): string {
  const who = event.sessionId;
  switch (event.type) {
    case "user_message":
      return `${who} user: ${clip(event.text)}`;
    case "assistant_message":
      return `${who} assistant: ${clip(event.text)}`;
    case "tool_call":
      return `${who} tool ${event.name}: ${clip(JSON.stringify(event.input))}`;
    case "tool_result":
      return `${who} tool result${event.isError ? " (error)" : ""}: ${
        clip(event.output)
      }`;
    case "turn_started":
      return `${who} turn started`;
    case "turn_completed":
      return `${who} turn completed${
        event.durationMs === undefined
          ? ""
          : ` in ${Math.round(event.durationMs / 100) / 10} s`
      }`;
    case "turn_aborted":
      return `${who} turn aborted`;
    case "awaiting_input":
      return `${who} waits on a person: ${clip(event.text)}`;
    case "state":
      return `${who} ${event.from ?? "-"} → ${event.to} (${event.reason})`;
    case "error":
      return `${who} error: ${event.message}`;
  }
}

/**
 * Runs `aimax events [-b BACKEND] [-s ID]`.
 *
 * @example
 * ```ts ignore
 * import { events } from "./events.ts";
 * const code = await events(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function events(
  { values, io, json }: CommandContext<typeof ONE_SESSION_OPTIONS>,
): Promise<number> {
  if (values.backend) get(values.backend); // an unknown name: exit 2
  const sessionId = values.session?.length
    ? validateSessionId(need(values, "session"))
    : undefined;
  const listener = (event: AgentEvent) =>
    io.out(json ? eventJson(event) : eventLine(event));
  await followUntilSignal(io, async (handlers) => {
    const stop = await subscribeFor(values, {
      sessionId,
      listener,
      handlers,
    });
    if (!json) io.err("following events; Ctrl-C to stop");
    return stop;
  });
  return EXIT.ok;
}
