/**
 * One event model for both agents, beside the raw transcript: user and
 * assistant messages, tool calls and results, turn starts and ends, a
 * person asked for input, state changes, errors. Each profile says how its
 * transcript records read as events; {@linkcode EventNormalizer} adds what
 * needs the records before (a turn's final text).
 *
 * @module
 */
import type { DialogInfo, SessionState } from "./session_state.ts";

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
  | { type: "awaiting_input"; text: string; dialogInfo?: DialogInfo }
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
 * How a record names itself and the record it follows (e.g. a `uuid`
 * and a parent's).
 *
 * @example
 * ```ts
 * import type { RecordLinks } from "./events.ts";
 * const links: RecordLinks = { id: "b", parent: "a" };
 * ```
 */
export interface RecordLinks {
  /** This record's id. */
  id?: string;
  /** The id of the record it answers or follows. */
  parent?: string;
}

/** At most this many records wait for a parent that has not arrived. */
const MAX_HELD = 8;

/**
 * Turns a stream of one agent's transcript records into events, filling a
 * turn's final text from its last assistant message when the record that
 * ends the turn does not carry it. Agents that write a record before the
 * one it follows (one, for fast replies, writes a turn's end before
 * its prompt) are put back in order through their links: a record whose
 * parent has not arrived waits for it (at most a few records; `flush()`
 * releases the rest at the end of a finite read).
 */
export class EventNormalizer {
  readonly #read: (record: Record<string, unknown>) => AgentEventBody[];
  readonly #where: { sessionId: string; backend: string };
  readonly #links: (record: Record<string, unknown>) => RecordLinks;
  readonly #seen = new Set<string>();
  readonly #held = new Map<string, { raw: unknown; offset?: number }[]>();
  #heldCount = 0;
  #lastText: string | undefined;
  /** Whether the last record given to `events()` was held back. */
  lastHeld = false;

  /**
   * Creates a normalizer.
   *
   * @param read the profile's record reader
   * @param where session id and backend of the events; `links` (the
   * profile's `recordLinks`) to restore the order of records
   */
  constructor(
    read: (record: Record<string, unknown>) => AgentEventBody[],
    where: {
      sessionId: string;
      backend: string;
      links?: (record: Record<string, unknown>) => RecordLinks;
    },
  ) {
    this.#read = read;
    this.#where = { sessionId: where.sessionId, backend: where.backend };
    this.#links = where.links ?? (() => ({}));
  }

  /**
   * The events of one transcript record (and of records that waited for
   * it); none when it waits for its parent.
   *
   * @param raw the parsed record
   * @param offset its byte offset
   */
  events(raw: unknown, offset?: number): AgentEvent[] {
    this.lastHeld = false;
    if (!raw || typeof raw !== "object") return [];
    const { parent } = this.#links(raw as Record<string, unknown>);
    if (parent && !this.#seen.has(parent)) {
      if (this.#heldCount < MAX_HELD) {
        const waiting = this.#held.get(parent) ?? [];
        waiting.push({ raw, offset });
        this.#held.set(parent, waiting);
        this.#heldCount++;
        this.lastHeld = true;
        return [];
      }
      // Too many waiting: the parent lies before this stream; go on.
      const released = this.flush();
      return [...released, ...this.#release(raw, offset)];
    }
    return this.#release(raw, offset);
  }

  /** The events of every record still waiting, in arrival order. */
  flush(): AgentEvent[] {
    const waiting = [...this.#held.values()].flat();
    this.#held.clear();
    this.#heldCount = 0;
    return waiting.flatMap((w) => this.#release(w.raw, w.offset));
  }

  /** Emits a record, then the records that waited for it. */
  #release(raw: unknown, offset?: number): AgentEvent[] {
    const out = this.#emit(raw as Record<string, unknown>, offset);
    const { id } = this.#links(raw as Record<string, unknown>);
    if (id) {
      this.#seen.add(id);
      if (this.#seen.size > 10_000) {
        this.#seen.delete(this.#seen.values().next().value!);
      }
      const waiting = this.#held.get(id);
      if (waiting) {
        this.#held.delete(id);
        this.#heldCount -= waiting.length;
        for (const w of waiting) out.push(...this.#release(w.raw, w.offset));
      }
    }
    return out;
  }

  #emit(record: Record<string, unknown>, offset?: number): AgentEvent[] {
    const at = typeof record.timestamp === "string"
      ? record.timestamp
      : new Date().toISOString();
    return this.#read(record).map((body) => {
      if (body.type === "assistant_message") this.#lastText = body.text;
      if (body.type === "turn_started") this.#lastText = undefined;
      if (body.type === "turn_completed" && body.text === undefined) {
        body = { ...body, text: this.#lastText ?? "" };
      }
      return { ...body, ...this.#where, at, offset, raw: record };
    });
  }
}
