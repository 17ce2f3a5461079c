/**
 * Waiting for a turn from an MCP tool call: progress notifications while
 * it runs (when the client asked for them with a progress token), the
 * request's cancellation stops the wait, and the outcome as text a model
 * can act on.
 *
 * @module
 */
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { SessionBackend, TurnOutcome } from "../backend/contract.ts";
import type { McpTimings } from "./timings.ts";

/**
 * What the SDK hands a tool call besides its arguments: the request's
 * abort signal, its `_meta` (the progress token) and a way to notify.
 *
 * @example
 * ```ts
 * import type { ToolExtra } from "./wait.ts";
 * const token = (extra: ToolExtra) => extra._meta?.progressToken;
 * ```
 */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Waits for the turn of `sessionId` to end, as `waitForTurn` does, with
 * the request's abort signal (a cancelled call stops waiting) and, when
 * the client sent a progress token, a progress notification every
 * `progressMs` saying the session's state and the time waited.
 *
 * @example
 * ```ts ignore
 * import { waitWithProgress } from "./wait.ts";
 * const turn = await waitWithProgress(backend, "w1", { extra, timeoutMs: 50_000, timings });
 * ```
 * @param backend the session's backend
 * @param sessionId the session
 * @param options the call's `extra`, `timeoutMs`, `since`, `prompt`, timings
 */
export async function waitWithProgress(
  backend: SessionBackend,
  sessionId: string,
  options: {
    extra: ToolExtra;
    timeoutMs: number;
    since?: number;
    prompt?: string;
    timings: McpTimings;
  },
): Promise<TurnOutcome> {
  const { extra, timings } = options;
  const token = extra._meta?.progressToken;
  const started = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  if (token !== undefined) {
    let busy = false;
    timer = setInterval(async () => {
      if (busy || extra.signal.aborted) return;
      busy = true;
      try {
        let state = "working";
        try {
          state = (await backend.getState(sessionId)).state;
        } catch {
          // The wait itself reports what went wrong.
        }
        const seconds = (Date.now() - started) / 1000;
        await extra.sendNotification({
          method: "notifications/progress",
          params: {
            progressToken: token,
            progress: seconds,
            total: options.timeoutMs / 1000,
            message: `session ${sessionId} is ${state} (${
              Math.round(seconds)
            } s waited)`,
          },
        }).catch(() => {});
      } finally {
        busy = false;
      }
    }, timings.progressMs);
  }
  try {
    return await backend.waitForTurn(sessionId, {
      timeoutMs: options.timeoutMs,
      since: options.since,
      prompt: options.prompt,
      signal: extra.signal,
    });
  } finally {
    clearInterval(timer);
  }
}

/**
 * A turn's outcome as text for a model: the answer itself when it
 * completed, else what happened and what to do next.
 *
 * @example
 * ```ts
 * import { turnText } from "./wait.ts";
 * turnText("w1", { outcome: "completed", state: "idle", text: "done", durationMs: 9 });
 * // "done"
 * ```
 * @param sessionId the session
 * @param turn how its turn ended
 */
export function turnText(sessionId: string, turn: TurnOutcome): string {
  const seconds = Math.round(turn.durationMs / 100) / 10;
  switch (turn.outcome) {
    case "completed":
      return turn.empty || turn.text === ""
        ? `(session ${sessionId}'s turn ended without text: its final message had none)`
        : turn.text;
    case "awaiting_input":
      return `session ${sessionId} waits on a person: the agent shows a dialog, and aimax never answers one by itself. A person answers it (\`aimax attach -s ${sessionId}\`), or, for a session this server created, send_keys can (e.g. "Enter" to accept, "Escape" to refuse); then call wait again.\n--- dialog ---\n${turn.text.trimEnd()}\n--------------`;
    case "timeout":
      return `session ${sessionId} is still ${turn.state} after ${seconds} s; call wait again for its answer.`;
    case "interrupted":
      return `the turn of session ${sessionId} was interrupted before it ended; what it had said:\n${turn.text}`;
    case "unknown":
      return `session ${sessionId} is idle, but aimax cannot tell how its turn ended: ${
        turn.reason ?? "its transcript records no end"
      }`;
    default:
      return `the agent of session ${sessionId} exited (state ${turn.state}); see list_sessions.`;
  }
}
