/**
 * Live tailing of JSONL transcripts: the parent directory's watcher (one
 * per directory, shared: `dir_watch.ts`) wakes a reader that seeks to its
 * byte offset and reads to the end. Copes with files that do not exist yet,
 * coalesced and rescan events, truncation, and replacement or rotation (a
 * new inode at the path).
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { EventBus } from "../bus.ts";
import { watchDir } from "./dir_watch.ts";
import { readRange } from "./range.ts";
import { type JsonlEntry, LineSplitter, parseJsonlLine } from "./lines.ts";

/**
 * Receives each new entry, in file order, exactly once.
 *
 * @example
 * ```ts
 * import { type JsonlListener, watchJsonl } from "@aimax/cli";
 * const path = await Deno.makeTempFile();
 * const onEntry: JsonlListener = (entry) => console.log(entry.offset, entry.value);
 * const stop = await watchJsonl(path, onEntry, { fromOffset: 0 });
 * await stop();
 * ```
 */
export type JsonlListener = (entry: JsonlEntry) => void;

/**
 * Why a tail started over from the beginning of the file.
 *
 * @example
 * ```ts
 * import { watchJsonl } from "@aimax/cli";
 * const path = await Deno.makeTempFile();
 * const stop = await watchJsonl(path, () => {}, {
 *   fromOffset: 0,
 *   onReset: (reason) => console.log("starting over:", reason),
 * });
 * await stop();
 * ```
 */
export type JsonlResetReason = "truncated" | "rewritten" | "replaced";

/** Options for {@linkcode JsonlTail}. */
export interface JsonlTailOptions {
  /**
   * Byte offset to start at; default: the end of the last complete line now
   * in the file (0 if it does not exist). An offset the file cannot hold when
   * the tail starts is stale: if the file is shorter than the offset it was
   * truncated or rewritten since the offset was taken (`onReset("truncated")`),
   * and if it does not exist any file that appears there is a new one
   * (`onReset("replaced")`). Either way the first read starts over at 0, just
   * as when a truncation is noticed later.
   */
  fromOffset?: number;
  /** Called when the file was truncated, rewritten or replaced and reading starts over at 0. */
  onReset?: (reason: JsonlResetReason) => void;
  /** Called when a read fails; the tail keeps watching. Default: print to stderr. */
  onError?: (error: unknown) => void;
}

const READ_CHUNK = 1024 * 1024;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The offset just past the last complete line of `path` now (0 when the
 * file does not exist): where a live-only watch starts.
 *
 * @param path the JSONL file
 */
export async function endOfCompleteLines(path: string): Promise<number> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  try {
    let end = (await file.stat()).size;
    while (end > 0) {
      const start = Math.max(0, end - 65536);
      const bytes = await readRange(file, {
        position: start,
        length: end - start,
      });
      const nl = bytes.lastIndexOf(10);
      if (nl >= 0) return start + nl + 1;
      end = start;
    }
    return 0;
  } finally {
    file.close();
  }
}

/**
 * Where a tail starting at `offset` stands: the up to 64 bytes just before
 * it (the anchor it checks, so a rewrite before its first read is not taken
 * for an append), or why the file cannot hold that offset.
 */
type StartPoint =
  | { readonly anchor: Uint8Array }
  | { readonly stale: "truncated" | "replaced" };

async function startPoint(path: string, offset: number): Promise<StartPoint> {
  if (offset === 0) return { anchor: new Uint8Array(0) };
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { stale: "replaced" };
    throw error;
  }
  try {
    if ((await file.stat()).size < offset) return { stale: "truncated" };
    const start = Math.max(0, offset - 64);
    return {
      anchor: await readRange(file, {
        position: start,
        length: offset - start,
      }),
    };
  } finally {
    file.close();
  }
}

/**
 * One live reader of one JSONL file, fanning entries out to its listeners.
 * Start it with {@linkcode JsonlTail.start}, stop it with
 * {@linkcode JsonlTail.close}.
 */
export class JsonlTail {
  /** The absolute path being followed. */
  readonly path: string;
  readonly #listeners: EventBus<JsonlEntry>;
  readonly #options: JsonlTailOptions;
  #splitter = new LineSplitter(0);
  #readPos = 0;
  #file: Deno.FsFile | undefined;
  #ino: number | null = null;
  #unwatch: (() => void) | undefined;
  #watchedDir = "";
  #pumping: Promise<void> | undefined;
  #again = false;
  #closed = false;
  readonly #buffer = new Uint8Array(READ_CHUNK);
  #checkPath = false;
  /** Set when the start offset is stale: the first file opened is read from 0. */
  #staleStart: JsonlResetReason | undefined;

  /**
   * Creates an instance.
   * @param path the file (it may not exist yet) @param options start offset and callbacks
   * @throws {RangeError} when `fromOffset` is not a byte offset
   */
  constructor(path: string, options: JsonlTailOptions = {}) {
    const from = options.fromOffset;
    if (from !== undefined && (!Number.isSafeInteger(from) || from < 0)) {
      throw new RangeError(
        `fromOffset must be a byte offset >= 0, got ${from}`,
      );
    }
    this.path = resolve(path);
    this.#options = options;
    this.#listeners = new EventBus(
      options.onError ?? ((e) => console.error("aimax: listener failed:", e)),
    );
  }

  /** The offset just past the last complete line delivered. */
  get offset(): number {
    return this.#splitter.offset;
  }

  /** How many listeners are attached. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /**
   * Adds a listener.
   *
   * @param listener receives each entry
   */
  add(listener: JsonlListener): void {
    this.#listeners.subscribe(listener);
  }

  /**
   * Removes a listener.
   *
   * @param listener one given to {@linkcode JsonlTail.add}
   */
  remove(listener: JsonlListener): void {
    this.#listeners.unsubscribe(listener);
  }

  /**
   * Arms the watcher, then delivers what is already there past the start
   * offset (from 0 when that offset is stale, see
   * {@linkcode JsonlTailOptions.fromOffset}).
   */
  async start(): Promise<void> {
    const from = this.#options.fromOffset ??
      await endOfCompleteLines(this.path);
    const point = await startPoint(this.path, from);
    if (this.#closed) return;
    if ("stale" in point) {
      this.#splitter = new LineSplitter(from);
      this.#staleStart = point.stale;
    } else {
      this.#splitter = new LineSplitter(from, point.anchor);
    }
    this.#readPos = from;
    this.#arm();
    await this.poke();
  }

  /** Stops watching and closes the file; no listener is called afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unwatch?.();
    this.#unwatch = undefined;
    await this.#pumping;
    this.#file?.close();
    this.#file = undefined;
    this.#listeners.clear();
  }

  /** Reads whatever is new now (the watcher calls this on every event). */
  poke(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#pumping) {
      this.#again = true;
      return this.#pumping;
    }
    this.#pumping = (async () => {
      try {
        do {
          this.#again = false;
          try {
            await this.#readAvailable();
          } catch (error) {
            if (this.#closed) break;
            (this.#options.onError ??
              ((e) => console.error("aimax: tail:", e)))(
                error,
              );
          }
        } while (this.#again && !this.#closed);
      } finally {
        this.#pumping = undefined;
      }
    })();
    return this.#pumping;
  }

  #nearestExistingDir(): string {
    let dir = dirname(this.path);
    while (true) {
      try {
        if (Deno.statSync(dir).isDirectory) return dir;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      const parent = dirname(dir);
      if (parent === dir) return dir;
      dir = parent;
    }
  }

  #arm(): void {
    // Loop until the watched directory is the deepest existing one: a
    // directory created while arming would otherwise go unnoticed.
    while (true) {
      const dir = this.#nearestExistingDir();
      if (dir === this.#watchedDir && this.#unwatch) return;
      let unwatch: () => void;
      try {
        unwatch = watchDir(dir, {
          event: (event) => this.#onEvent(dir, event),
          error: (error) => {
            if (this.#closed) return;
            (this.#options.onError ?? console.error)(error);
          },
        });
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        throw error;
      }
      this.#unwatch?.();
      this.#unwatch = unwatch;
      this.#watchedDir = dir;
    }
  }

  #onEvent(dir: string, event: Deno.FsEvent): void {
    if (this.#closed || dir !== this.#watchedDir) return;
    if (dir !== dirname(this.path)) {
      // Waiting for a missing parent directory: follow it down.
      this.#arm();
      if (this.#watchedDir !== dir) void this.poke();
      return;
    }
    if (
      event.flag === "rescan" ||
      event.paths.length === 0 ||
      event.paths.some((p) => p === this.path || p === dir)
    ) {
      // Anything but a plain write may mean a new file at the path.
      if (event.kind !== "modify" && event.kind !== "access") {
        this.#checkPath = true;
      }
      void this.poke();
    }
  }

  #deliver(entry: JsonlEntry): void {
    if (!this.#closed) this.#listeners.publish(entry);
  }

  #startOver(reason: JsonlResetReason): void {
    this.#splitter.reset(0);
    this.#readPos = 0;
    this.#options.onReset?.(reason);
  }

  async #openCurrent(): Promise<boolean> {
    try {
      this.#file = await Deno.open(this.path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
    this.#ino = (await this.#file.stat()).ino;
    return true;
  }

  async #pathIno(): Promise<number | null | undefined> {
    try {
      return (await Deno.stat(this.path)).ino;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }

  /**
   * Reads what is new in `file`. The first read starts at the anchor (the
   * bytes just before the sentinel) so that one call both checks that the
   * file was not truncated or rewritten and fetches the new bytes.
   *
   * @returns how many new bytes were read
   */
  async #drain(file: Deno.FsFile): Promise<number> {
    const buffer = this.#buffer;
    const sink = (text: string, start: number, end: number) =>
      this.#deliver(parseJsonlLine(text, start, end));
    let anchor = this.#splitter.anchor;
    let skip = anchor.length + (this.#readPos - this.#splitter.offset);
    // The first read is synchronous: a live tail reads a few new bytes, and
    // a trip through the blocking thread pool would cost more than the read.
    // A backlog (a full chunk came back) is read on asynchronously, so that
    // the event loop runs between chunks: listeners that forward entries
    // (an HTTP stream) get to send them instead of piling all of it up.
    file.seekSync(this.#splitter.offset - anchor.length, Deno.SeekMode.Start);
    let fresh = 0;
    let backlog = false;
    while (!this.#closed) {
      const n: number =
        (backlog ? await file.read(buffer) : file.readSync(buffer)) ?? 0;
      backlog = n === buffer.length;
      let chunk = buffer.subarray(0, n);
      if (anchor.length > 0 || skip > 0) {
        if (n < skip || !sameBytes(chunk.subarray(0, anchor.length), anchor)) {
          // Shorter than what was read before, or different bytes: the file
          // was truncated or rewritten. Start over from its beginning.
          this.#startOver(n < skip ? "truncated" : "rewritten");
          anchor = this.#splitter.anchor;
          skip = 0;
          file.seekSync(0, Deno.SeekMode.Start);
          continue;
        }
        chunk = chunk.subarray(skip);
        anchor = new Uint8Array(0);
        skip = 0;
      }
      if (chunk.length > 0) {
        this.#readPos += chunk.length;
        fresh += chunk.length;
        this.#splitter.push(chunk, sink);
      }
      // A short read of a regular file is its end.
      if (n < buffer.length) break;
    }
    return fresh;
  }

  async #readAvailable(): Promise<void> {
    if (!this.#file) {
      if (!(await this.#openCurrent())) return;
      if (this.#staleStart) {
        // The start offset cannot be in this file: read all of it.
        this.#startOver(this.#staleStart);
        this.#staleStart = undefined;
      }
    }
    const fresh = await this.#drain(this.#file!);
    if (fresh > 0 && !this.#checkPath) return;
    // Nothing new in the file we hold, or the directory changed: has
    // another file taken its path?
    this.#checkPath = false;
    const ino = await this.#pathIno();
    if (ino === undefined || ino === this.#ino || this.#closed) return;
    // A new file stands at the path: the old one was drained above.
    this.#file!.close();
    this.#file = undefined;
    if (!(await this.#openCurrent())) return;
    this.#startOver("replaced");
    await this.#drain(this.#file!);
  }
}

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
   * truncation does; see {@linkcode JsonlTailOptions.fromOffset}.
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
