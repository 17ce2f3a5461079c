/**
 * One event model for both agents, beside the raw transcript: user and
 * assistant messages, tool calls and results, turn starts and ends, a
 * person asked for input, state changes, errors. Each profile says how its
 * transcript records read as events; {@linkcode EventNormalizer} adds what
 * needs the records before (a turn's final text).
 *
 * @module
 */
import type { SessionState } from "./state.ts";

/**
 * What happened, without where (see {@linkcode AgentEvent}).
 *
 * @example
 * ```ts
 * import type { AgentEventBody } from "@aimax/cli";
 * const body: AgentEventBody = { type: "tool_call", name: "Bash", input: { command: "ls" } };
 * ```
 */
export type AgentEventBody =
  | { type: "user_message"; text: string }
  | { type: "assistant_message"; text: string }
  | { type: "tool_call"; name: string; input: unknown; callId?: string }
  | {
    type: "tool_result";
    output: string;
    callId?: string;
    isError?: boolean;
  }
  | { type: "turn_started"; turnId?: string }
  | {
    type: "turn_completed";
    text?: string;
    durationMs?: number;
    turnId?: string;
  }
  | { type: "turn_aborted"; turnId?: string }
  | { type: "awaiting_input"; text: string }
  | {
    type: "state";
    from: SessionState | null;
    to: SessionState;
    reason: string;
  }
  | { type: "error"; message: string };

/**
 * An event of one session.
 *
 * @example
 * ```ts
 * import type { AgentEvent } from "@aimax/cli";
 * const print = (e: AgentEvent) => console.log(e.at, e.sessionId, e.type);
 * ```
 */
export type AgentEvent = AgentEventBody & {
  /** The aimax session. */
  sessionId: string;
  /** Its backend. */
  backend: string;
  /** ISO time (the record's own timestamp when it has one). */
  at: string;
  /** Byte offset of the transcript record it comes from. */
  offset?: number;
  /** The raw record it was read from (transcript events only). */
  raw?: unknown;
};

/**
 * Turns a stream of one agent's transcript records into events, filling a
 * turn's final text from its last assistant message when the record that
 * ends the turn does not carry it.
 */
export class EventNormalizer {
  readonly #read: (record: Record<string, unknown>) => AgentEventBody[];
  readonly #where: { sessionId: string; backend: string };
  #lastText: string | undefined;

  /**
   * Creates a normalizer.
   *
   * @param read the profile's record reader
   * @param where session id and backend of the events
   */
  constructor(
    read: (record: Record<string, unknown>) => AgentEventBody[],
    where: { sessionId: string; backend: string },
  ) {
    this.#read = read;
    this.#where = where;
  }

  /**
   * The events of one transcript record.
   *
   * @param raw the parsed record
   * @param offset its byte offset
   */
  events(raw: unknown, offset?: number): AgentEvent[] {
    if (!raw || typeof raw !== "object") return [];
    const record = raw as Record<string, unknown>;
    const at = typeof record.timestamp === "string"
      ? record.timestamp
      : new Date().toISOString();
    return this.#read(record).map((body) => {
      if (body.type === "assistant_message") this.#lastText = body.text;
      if (body.type === "turn_started") this.#lastText = undefined;
      if (body.type === "turn_completed" && body.text === undefined) {
        body = { ...body, text: this.#lastText ?? "" };
      }
      return { ...body, ...this.#where, at, offset, raw };
    });
  }
}
