/**
 * One session's transcript as messages for a remote client, from any byte
 * offset: the part already written is read once, then the client joins the
 * one shared tail of the file (however many clients follow it), with
 * nothing missed or repeated at the seam. Each message carries `id`, the
 * byte offset just past its entry: where a client resumes.
 *
 * @module
 */
import type { TmuxAgentBackend } from "../backend/backend.ts";
import type { JsonlEntry } from "../jsonl/lines.ts";
import type { Unsubscribe } from "../jsonl/watcher.ts";
import { EventNormalizer } from "../signals/events.ts";

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
 * Follows session `sessionId`'s transcript and hands each message to
 * `onMessage`, in order.
 *
 * @example
 * ```ts
 * import { get } from "../registry.ts";
 * import { followTranscript } from "./feed.ts";
 * const stop = await followTranscript(get("tmux-claude-code"), "demo-1", {
 *   onMessage: (m) => console.log(m.id, m.data),
 *   from: 0,
 * });
 * await stop();
 * ```
 * @param backend the session's backend
 * @param sessionId session id
 * @param options where to start, events or entries, and the receiver
 */
export async function followTranscript(
  backend: TmuxAgentBackend,
  sessionId: string,
  options: FeedOptions & { onMessage: (message: FeedMessage) => void },
): Promise<Unsubscribe> {
  const { onMessage } = options;
  const normalizer = options.events
    ? new EventNormalizer((r) => backend.profile.transcriptEvents(r), {
      sessionId,
      backend: backend.name,
      links: backend.profile.recordLinks,
    })
    : undefined;
  const emit = (entry: JsonlEntry) => {
    if (!normalizer) {
      onMessage({ id: entry.end, data: entry });
      return;
    }
    for (const event of normalizer.events(entry.value, entry.offset)) {
      const { raw: _raw, ...rest } = event;
      onMessage({ id: entry.end, data: { ...rest, end: entry.end } });
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
  const stop = await backend.getAgentRawThoughtStream(
    sessionId,
    (_raw, entry) => pending ? pending.push(entry) : forward(entry),
  );
  try {
    if (options.from !== undefined) {
      const history = await backend.getHistory(sessionId, {
        fromOffset: options.from,
      });
      for (const entry of history.entries) emit(entry);
      seam = history.sentinel;
    } else {
      past = true;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const held = pending;
  pending = undefined;
  for (const entry of held) forward(entry);
  return stop;
}
