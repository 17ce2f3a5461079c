/**
 * One live reader of one JSONL file: the parent directory's watcher (one
 * per directory, shared: `dir_watch.ts`) wakes it, and it seeks to its byte
 * offset and reads to the end, fanning complete lines out to its listeners.
 * Copes with files that do not exist yet, coalesced and rescan events,
 * truncation, and replacement or rotation (a new inode at the path).
 *
 * @module
 */
import { dirname, resolve } from "../path.ts";
import { EventBus } from "../bus.ts";
import { watchDir } from "./dir_watch.ts";
import { type JsonlEntry, LineSplitter, parseJsonlLine } from "./lines.ts";
import { endOfCompleteLines, startPoint } from "./start.ts";

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
