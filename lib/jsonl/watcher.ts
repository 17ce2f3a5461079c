/**
 * Following JSONL transcripts live: {@linkcode watchJsonl} gives each
 * caller a {@linkcode JsonlTail} of its own when it starts at an offset,
 * and otherwise one tail per file shared by all its followers.
 *
 * @module
 */
import { resolve } from "../path.ts";
import {
  type JsonlListener,
  type JsonlResetReason,
  JsonlTail,
} from "./tail.ts";

/**
 * Stops a watch; resolves once no more entries will be delivered.
 *
 * @example
 * ```ts
 * import { type Unsubscribe, watchJsonl } from "@aimax/cli";
 * const path = await Deno.makeTempFile();
 * const stop: Unsubscribe = await watchJsonl(path, console.log);
 * await stop(); // no entry is delivered after this resolves
 * ```
 */
export type Unsubscribe = () => Promise<void>;

/**
 * Options for {@linkcode watchJsonl}.
 *
 * @example
 * ```ts
 * import { readJsonl, watchJsonl, type WatchJsonlOptions } from "@aimax/cli";
 * const path = await Deno.makeTempFile();
 * const options: WatchJsonlOptions = { fromOffset: (await readJsonl(path)).sentinel };
 * const stop = await watchJsonl(path, console.log, options);
 * await stop();
 * ```
 */
export interface WatchJsonlOptions {
  /**
   * Start at this byte offset (a sentinel from {@linkcode readJsonl}) with a
   * private watcher. Without it the listener joins the one shared watcher of
   * the file and receives entries appended from now on. A stale offset (the
   * file is shorter now, or gone) starts over at 0 with `onReset`, as a
   * truncation does (as `fromOffset` of {@linkcode JsonlTail}).
   */
  fromOffset?: number;
  /** Called when the file is truncated, rewritten or replaced (private watchers only). */
  onReset?: (reason: JsonlResetReason) => void;
}

/** The one tail of a file shared by the watchers without `fromOffset`. */
interface SharedTail {
  readonly tail: JsonlTail;
  readonly started: Promise<void>;
  /** Subscribers joined or joining; the tail closes when it drops to 0. */
  subscribers: number;
}

const shared = new Map<string, SharedTail>();

/**
 * Follows a JSONL file live. Resolves once the watch is armed; the returned
 * function stops it.
 *
 * @example
 * ```ts
 * import { readJsonl, watchJsonl } from "@aimax/cli";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * const { sentinel } = await readJsonl(path);
 * const stop = await watchJsonl(path, (entry) => console.log(entry.value), {
 *   fromOffset: sentinel,
 * });
 * await Deno.writeTextFile(path, '{"hello":1}\n', { append: true });
 * await stop();
 * ```
 * @param path the JSONL file; it may not exist yet
 * @param onEntry receives each entry once, in order
 * @param options `fromOffset` for a private watcher from that offset
 * @throws {RangeError} when `fromOffset` is not a byte offset
 */
export async function watchJsonl(
  path: string,
  onEntry: JsonlListener,
  options: WatchJsonlOptions = {},
): Promise<Unsubscribe> {
  if (options.fromOffset !== undefined) {
    const tail = new JsonlTail(path, {
      fromOffset: options.fromOffset,
      onReset: options.onReset,
    });
    tail.add(onEntry);
    await tail.start();
    return () => tail.close();
  }
  const key = resolve(path);
  let entry = shared.get(key);
  if (!entry) {
    const tail = new JsonlTail(key);
    entry = { tail, started: tail.start(), subscribers: 0 };
    shared.set(key, entry);
    const created = entry;
    created.started.catch(() => {
      if (shared.get(key) === created) shared.delete(key);
    });
  }
  // Counted before the first await, so that the tail cannot close while
  // this subscriber is still waiting for it to start.
  entry.subscribers++;
  const joined = entry;
  try {
    await joined.started;
  } catch (error) {
    await leaveShared(key, joined);
    throw error;
  }
  joined.tail.add(onEntry);
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    joined.tail.remove(onEntry);
    await leaveShared(key, joined);
  };
}

/** Drops one subscriber of a shared tail; the last one closes it. */
async function leaveShared(key: string, entry: SharedTail): Promise<void> {
  entry.subscribers--;
  if (entry.subscribers > 0) return;
  if (shared.get(key) === entry) shared.delete(key);
  await entry.tail.close();
}

/** How many shared watchers are open (for tests and diagnostics). */
export function sharedWatcherCount(): number {
  return shared.size;
}
