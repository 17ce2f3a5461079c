/**
 * One session's transcript as messages for a remote client, from any byte
 * offset: the part already written is read in pieces of
 * {@linkcode CATCH_UP_CHUNK_BYTES}, each only once the client has room for
 * it (so a catch-up that is never read holds no more than a live stream
 * does), then the client joins the one shared tail of the file (however
 * many clients follow it), with nothing missed or repeated at the seam.
 * Each message carries `id`, the byte offset just past its entry: where a
 * client resumes. A `tool_call` event carries `label` too, what the call
 * does on one line as `history` shows it (`Bash: ls -la`).
 *
 * @module
 */
import type { SessionBackend } from "../backend/contract.ts";
import type { JsonlEntry } from "../jsonl/lines.ts";
import { readJsonl } from "../jsonl/reader.ts";
import type { Unsubscribe } from "../jsonl/watcher.ts";
import { toolCallLabel } from "../render/conversation.ts";
import { EventNormalizer } from "../signals/events.ts";

/** How much of the transcript a catch-up reads at a time: 256 KiB. */
export const CATCH_UP_CHUNK_BYTES = 256 * 1024;

/**
 * What a feed needs of a backend: its name and profile (to read events),
 * where the transcript is, and its shared tail.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "../registry.ts";
 * import type { FeedSource } from "./feed.ts";
 * const source: FeedSource = get(SUPPORTED_BACKENDS[0]);
 * ```
 */
export type FeedSource = Pick<
  SessionBackend,
  "name" | "profile" | "transcriptOf" | "getAgentRawThoughtStream"
>;

/**
 * One message of a feed.
 *
 * @example
 * ```ts
 * import type { FeedMessage } from "./feed.ts";
 * const message: FeedMessage = { id: 120, data: { offset: 0, end: 120, value: {} } };
 * ```
 */
export interface FeedMessage {
  /** The byte offset just past the entry: resume from here. */
  id: number;
  /** The entry (`{offset, end, value}`), or one event (`{type, …, end}`). */
  data: unknown;
}

/**
 * Options of {@linkcode followTranscript}.
 *
 * @example
 * ```ts
 * import type { FeedOptions } from "./feed.ts";
 * const options: FeedOptions = { from: 0, events: true };
 * ```
 */
export interface FeedOptions {
  /** Start at this byte offset (an earlier message's `id`); default: new entries only. */
  from?: number;
  /** Normalised events instead of raw entries. */
  events?: boolean;
}

/**
 * Where a feed's messages go, and how it learns that the client can take
 * more.
 *
 * @example
 * ```ts
 * import type { FeedReceiver } from "./feed.ts";
 * const receiver: FeedReceiver = {
 *   onMessage: (m) => console.log(m.id),
 *   room: () => Promise.resolve(true),
 * };
 * ```
 */
export interface FeedReceiver {
  /** Receives each message, in order. */
  onMessage: (message: FeedMessage) => void;
  /**
   * Resolves once the client has room for the next piece of a catch-up
   * (`true`), or `false` when it is gone; default: always room.
   */
  room?: () => Promise<boolean>;
  /** A failure after the start (a catch-up read that failed). */
  onError?: (error: unknown) => void;
}

/**
 * Follows session `sessionId`'s transcript and hands each message to
 * `onMessage`, in order. Resolves once the stream has started: an unknown
 * session, a session without a transcript, or an offset that is not where
 * an entry starts (or past the end) is thrown here; the rest of a long
 * catch-up goes on after, a piece at a time as `room` allows.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "../registry.ts";
 * import { followTranscript } from "./feed.ts";
 * const stop = await followTranscript(get(SUPPORTED_BACKENDS[0]), "demo-1", {
 *   onMessage: (m) => console.log(m.id, m.data),
 *   from: 0,
 * });
 * await stop();
 * ```
 * @param backend the session's backend
 * @param sessionId session id
 * @param options where to start, events or entries, and the receiver
 * @throws {RangeError} for an offset inside an entry or past the end
 */
export async function followTranscript(
  backend: FeedSource,
  sessionId: string,
  options: FeedOptions & FeedReceiver,
): Promise<Unsubscribe> {
  const { onMessage } = options;
  const room = options.room ?? (() => Promise.resolve(true));
  const normalizer = options.events
    ? new EventNormalizer((r) => backend.profile.transcriptEvents(r), {
      sessionId,
      backend: backend.name,
      links: backend.profile.recordLinks,
    })
    : undefined;
  let stopped = false;
  let tail: Unsubscribe | undefined;
  const stop: Unsubscribe = async () => {
    stopped = true;
    const t = tail;
    tail = undefined;
    await t?.();
  };
  const emit = (entry: JsonlEntry) => {
    if (stopped) return;
    if (!normalizer) {
      onMessage({ id: entry.end, data: entry });
      return;
    }
    for (const event of normalizer.events(entry.value, entry.offset)) {
      const { raw: _raw, ...rest } = event;
      // A tool call says what it does as `history` does (`Bash: ls`).
      const label = event.type === "tool_call"
        ? { label: toolCallLabel(event.name, event.input) }
        : {};
      onMessage({ id: entry.end, data: { ...rest, ...label, end: entry.end } });
    }
  };
  let pending: JsonlEntry[] | undefined = [];
  let seam = 0;
  let past = false;
  const forward = (entry: JsonlEntry) => {
    // The shared tail may start before the end of what was read: skip
    // those, once; after the seam everything is new.
    if (!past && entry.offset < seam) return;
    past = true;
    emit(entry);
  };
  /** Joins the shared tail; entries it brings are held until the seam. */
  const join = async () => {
    tail = await backend.getAgentRawThoughtStream(
      sessionId,
      (_raw, entry) => pending ? pending.push(entry) : forward(entry),
    );
    if (stopped) await stop();
  };
  const release = () => {
    const held = pending ?? [];
    pending = undefined;
    for (const entry of held) forward(entry);
  };
  if (options.from === undefined) {
    past = true;
    await join();
    release();
    return stop;
  }
  const path = await backend.transcriptOf(sessionId);
  // The first piece before the stream starts: a bad offset is refused
  // here, and a short catch-up (the usual one) is done at once.
  const read = (from: number, strict = false) =>
    path === undefined
      ? Promise.resolve({ entries: [], sentinel: from, more: false })
      : readJsonl(path, {
        fromOffset: from,
        maxBytes: CATCH_UP_CHUNK_BYTES,
        strict,
      });
  let piece = await read(options.from, true);
  if (!piece.more) {
    // Join first, then read what came since: nothing lost at the seam.
    await join();
    try {
      for (const entry of piece.entries) emit(entry);
      await finish(piece.sentinel);
    } catch (error) {
      await stop();
      throw error;
    }
    return stop;
  }
  async function finish(at: number): Promise<void> {
    let more = true;
    while (more && !stopped) {
      const rest = await read(at);
      for (const entry of rest.entries) emit(entry);
      at = rest.sentinel;
      more = rest.more ?? false;
    }
    seam = at;
    release();
  }
  (async () => {
    for (const entry of piece.entries) emit(entry);
    while (piece.more) {
      if (!(await room()) || stopped) return;
      piece = await read(piece.sentinel);
      for (const entry of piece.entries) emit(entry);
    }
    if (!(await room()) || stopped) return;
    await join();
    await finish(piece.sentinel);
  })().catch(async (error) => {
    if (stopped) return;
    await stop();
    options.onError?.(error);
  });
  return stop;
}
