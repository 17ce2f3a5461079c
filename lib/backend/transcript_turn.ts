/**
 * A turn as the agent's own transcript records it: whether it ended (and
 * how), and the text of its final assistant message. The transcript is the
 * ground truth of a turn; hooks and notify only make aimax hear of it
 * sooner. Agent-neutral: it reads records through the profile's
 * `transcriptEvents`, `recordLinks` and `promptRecord`.
 *
 * @module
 */
import type { AgentProfile } from "../agents/agent.ts";
import { readJsonl } from "../jsonl/reader.ts";
import { type AgentEvent, EventNormalizer } from "../signals/events.ts";

/**
 * What the transcript says of one turn.
 *
 * @example
 * ```ts
 * import type { TranscriptTurn } from "./transcript_turn.ts";
 * const done: TranscriptTurn = { end: "completed", text: "ack", hasText: true, endedAt: 0 };
 * ```
 */
export interface TranscriptTurn {
  /**
   * How it ended: `completed` (the agent recorded the turn's end) or
   * `aborted` (interrupted); absent while it runs, or when its end was never
   * written.
   */
  end?: "completed" | "aborted";
  /**
   * The text of its final assistant message: the last assistant text after
   * the turn's last tool result (`""` when the turn ended with tools only).
   */
  text: string;
  /** Whether that final message had text. */
  hasText: boolean;
  /** When the end was recorded (ms since epoch), when it was. */
  endedAt?: number;
  /** The agent's id of the turn, when its records give one. */
  turnId?: string;
}

/** The profile's parts that read a transcript. */
export type TranscriptReading = Pick<
  AgentProfile,
  "transcriptEvents" | "recordLinks" | "promptRecord"
>;

/** Which turn to follow: the one `prompt` started, else the latest. */
export interface TurnQuery {
  /** The prompt whose own turn is wanted (as sent, sanitised). */
  prompt?: string;
  /** The prompt's record is not older than this (ms since epoch). */
  since?: number;
}

interface Acc extends TranscriptTurn {
  /** Whether anything but its start was seen (a start after it is new). */
  content: boolean;
}

/**
 * Follows the turns of a transcript's events, in the order the agent meant
 * them (see {@linkcode EventNormalizer}), and keeps the one asked about:
 * the turn whose user message is `prompt` (recorded at or after `since`),
 * or without a prompt the latest turn.
 *
 * @example
 * ```ts
 * import { AGENT_PROFILES } from "../agents/mod.ts";
 * import { TurnTracker } from "./transcript_turn.ts";
 * declare const record: Record<string, unknown>; // a transcript line
 * const tracker = new TurnTracker(AGENT_PROFILES[0], { prompt: "hi" });
 * tracker.addRecord(record);
 * console.log(tracker.turn?.end); // undefined while the turn runs
 * ```
 */
export class TurnTracker {
  readonly #profile: TranscriptReading;
  readonly #query: TurnQuery;
  readonly #normalizer: EventNormalizer;
  #current: Acc | undefined;
  #target: Acc | undefined;

  /**
   * Creates a tracker.
   *
   * @param profile the agent's transcript reading
   * @param query the prompt (and when it was sent), or none for the latest turn
   */
  constructor(profile: TranscriptReading, query: TurnQuery = {}) {
    this.#profile = profile;
    this.#query = query;
    this.#normalizer = new EventNormalizer(
      (r) => profile.transcriptEvents(r),
      {
        sessionId: "",
        backend: "",
        links: profile.recordLinks?.bind(profile),
      },
    );
  }

  /**
   * Takes one transcript record, in file order.
   *
   * @param record one parsed line
   */
  addRecord(record: unknown): void {
    for (const event of this.#normalizer.events(record)) this.#add(event);
  }

  /** The turn asked about, as far as the records so far tell. */
  get turn(): TranscriptTurn | undefined {
    const acc = this.#query.prompt === undefined ? this.#current : this.#target;
    if (!acc) return undefined;
    const { content: _, ...turn } = acc;
    return turn;
  }

  #add(event: AgentEvent): void {
    const at = Date.parse(event.at);
    switch (event.type) {
      case "turn_started":
        // A start right after a prompt it already holds is the same turn
        // (an agent may record the prompt before the start).
        if (this.#current && !this.#current.end && !this.#current.content) {
          this.#current.turnId ??= event.turnId;
        } else {
          this.#current = newTurn(event.turnId);
        }
        return;
      case "user_message": {
        if (!this.#current || this.#current.end) this.#current = newTurn();
        const { prompt, since } = this.#query;
        if (
          prompt !== undefined && this.#target === undefined &&
          !(at < (since ?? 0)) &&
          this.#profile.promptRecord(event.raw, prompt) === "started"
        ) {
          this.#target = this.#current;
        }
        return;
      }
    }
    const turn = this.#current;
    if (!turn || turn.end) return;
    switch (event.type) {
      case "assistant_message":
        turn.content = true;
        turn.text = event.text;
        turn.hasText = event.text.trim() !== "";
        return;
      case "tool_call":
        turn.content = true;
        return;
      case "tool_result":
        // What comes after a tool's result is a new assistant message.
        turn.content = true;
        turn.text = "";
        turn.hasText = false;
        return;
      case "turn_completed":
      case "turn_aborted":
        turn.end = event.type === "turn_completed" ? "completed" : "aborted";
        turn.endedAt = Number.isNaN(at) ? Date.now() : at;
        turn.turnId ??= event.turnId;
        return;
    }
  }
}

function newTurn(turnId?: string): Acc {
  return {
    text: "",
    hasText: false,
    content: false,
    ...(turnId ? { turnId } : {}),
  };
}

/** How many records a look back takes at a time, growing. */
const LOOK_BACK = [64, 1_024, 16_384] as const;

/**
 * Reads one turn of a transcript file as it grows: the first `read()` finds
 * where to start (the last turn start before `since` for a prompt, the
 * turn start before the latest one otherwise), each later one reads only
 * what was appended.
 *
 * @example
 * ```ts ignore
 * import { AGENT_PROFILES } from "../agents/mod.ts";
 * import { TranscriptTurnReader } from "./transcript_turn.ts";
 * const reader = new TranscriptTurnReader(AGENT_PROFILES[0], { path: "/x.jsonl", prompt: "hi", since: 0 });
 * const turn = await reader.read();
 * ```
 */
export class TranscriptTurnReader {
  readonly #profile: TranscriptReading;
  readonly #path: string;
  readonly #query: TurnQuery;
  #tracker: TurnTracker;
  #offset: number | undefined;

  /**
   * Creates a reader.
   *
   * @param profile the agent's transcript reading
   * @param options the transcript's path, and the prompt and `since`
   */
  constructor(
    profile: TranscriptReading,
    options: TurnQuery & { path: string },
  ) {
    this.#profile = profile;
    this.#path = options.path;
    this.#query = { prompt: options.prompt, since: options.since };
    this.#tracker = new TurnTracker(profile, this.#query);
  }

  /** The transcript's path. */
  get path(): string {
    return this.#path;
  }

  /**
   * The turn asked about, after reading what the transcript gained; none
   * when the file is not there yet or does not hold the turn yet.
   */
  async read(): Promise<TranscriptTurn | undefined> {
    try {
      this.#offset ??= await this.#start();
      const { entries, sentinel } = await readJsonl(this.#path, {
        fromOffset: this.#offset,
      });
      for (const entry of entries) {
        if (entry.value !== undefined) this.#tracker.addRecord(entry.value);
      }
      this.#offset = sentinel;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      this.#offset = undefined;
      this.#tracker = new TurnTracker(this.#profile, this.#query);
    }
    return this.#tracker.turn;
  }

  /** Where to start reading: a turn start, so no record waits for a parent. */
  async #start(): Promise<number> {
    const { prompt, since } = this.#query;
    for (const limit of LOOK_BACK) {
      const { entries, truncated } = await readJsonl(this.#path, { limit });
      const starts = entries.filter((e) =>
        e.value !== null && typeof e.value === "object" &&
        this.#profile.transcriptEvents(e.value as Record<string, unknown>)
          .some((b) => b.type === "turn_started")
      );
      if (prompt !== undefined) {
        const before = starts.findLast((e) =>
          recordTime(e.value) < (since ?? 0)
        );
        if (before) return before.offset;
      } else if (starts.length >= 2) {
        return starts[starts.length - 2].offset;
      }
      if (!truncated) return 0;
    }
    return 0;
  }
}

/** A record's own time (ms since epoch), or NaN. */
function recordTime(record: unknown): number {
  const at = (record as { timestamp?: unknown } | null)?.timestamp;
  return typeof at === "string" ? Date.parse(at) : NaN;
}
