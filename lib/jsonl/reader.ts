/**
 * History reads of JSONL transcripts: from a byte offset to the last
 * complete line, with seek-based chunked reads.
 *
 * @module
 */
import { type JsonlEntry, LineSplitter, parseJsonlLine } from "./lines.ts";
import { readRange, readRangeSync } from "./range.ts";

const NEWLINE = 10;

/**
 * Options for {@linkcode readJsonl}.
 *
 * @example
 * ```ts
 * import { readJsonl, type ReadJsonlOptions } from "@aimax/cli";
 * const path = await Deno.makeTempFile();
 * const options: ReadJsonlOptions = { fromOffset: 0, limit: 100 };
 * const last100 = await readJsonl(path, options);
 * ```
 */
export interface ReadJsonlOptions {
  /** Byte offset to start at (a line start, such as an earlier sentinel). Default 0. */
  fromOffset?: number;
  /**
   * Keep only the last `limit` entries. The file is then read backwards
   * from its end, touching about the bytes of those entries however large
   * the file is; `total` is exact only when that read reached `fromOffset`.
   */
  limit?: number;
  /**
   * Stop once about this many bytes were read (at least one whole line, if
   * there is one): a reader that goes on from `sentinel` reads a large file
   * in pieces. `more` says whether it stopped before the end. Not with
   * `limit`.
   */
  maxBytes?: number;
  /**
   * Refuse (`RangeError`) a `fromOffset` that is not where a line starts
   * (inside a line) or lies past the end of the file, instead of reading
   * from it as given.
   */
  strict?: boolean;
}

/**
 * What {@linkcode readJsonl} returns.
 *
 * @example
 * ```ts
 * import { readJsonl } from "@aimax/cli";
 * const path = await Deno.makeTempFile();
 * const { entries, total, truncated, sentinel } = await readJsonl(path);
 * ```
 */
export interface JsonlReadResult {
  /** The entries read, oldest first (the last `limit` when limited). */
  entries: JsonlEntry[];
  /**
   * How many complete lines lie between `fromOffset` and the sentinel; with
   * `limit` and `truncated`, the lines read from the end (a lower bound).
   */
  total: number;
  /** Whether `limit` left entries out. */
  truncated: boolean;
  /** Offset just past the last complete line read: resume a live watch here. */
  sentinel: number;
  /** With `maxBytes`: the read stopped before the end of the file. */
  more?: boolean;
}

const CHUNK = 4 * 1024 * 1024;

/**
 * Reads the complete lines of a JSONL file from `fromOffset`. A partial
 * trailing line is not read (the sentinel stops before it); a malformed line
 * becomes an entry with `error`. A missing file reads as empty.
 *
 * @example
 * ```ts
 * import { readJsonl } from "@aimax/cli";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"a":1}\n{"a":2}\n{"a":');
 * const { entries, sentinel } = await readJsonl(path);
 * console.log(entries.length, sentinel); // 2 16
 * ```
 * @param path the JSONL file
 * @param options `fromOffset` and `limit`
 */
export async function readJsonl(
  path: string,
  options: ReadJsonlOptions = {},
): Promise<JsonlReadResult> {
  const fromOffset = options.fromOffset ?? 0;
  const limit = options.limit;
  if (!Number.isSafeInteger(fromOffset) || fromOffset < 0) {
    throw new RangeError(
      `fromOffset must be a byte offset >= 0, got ${fromOffset}`,
    );
  }
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a count >= 0, got ${limit}`);
  }
  let file: Deno.FsFile;
  try {
    // A read of the end is usually small: synchronous calls (see
    // readWindow); a whole read is not.
    file = limit === undefined
      ? await Deno.open(path, { read: true })
      : Deno.openSync(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      if (options.strict && fromOffset > 0) {
        throw new RangeError(
          `offset ${fromOffset} is past the end of the transcript (none yet)`,
        );
      }
      return { entries: [], total: 0, truncated: false, sentinel: fromOffset };
    }
    throw error;
  }
  const empty = {
    entries: [],
    total: 0,
    truncated: false,
    sentinel: fromOffset,
  };
  if (limit !== undefined) {
    try {
      return await readLast(file, { fromOffset, limit });
    } finally {
      file.close();
    }
  }
  const maxBytes = options.maxBytes;
  if (
    maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
  ) {
    file.close();
    throw new RangeError(`maxBytes must be a count >= 1, got ${maxBytes}`);
  }
  const splitter = new LineSplitter(fromOffset);
  const entries: JsonlEntry[] = [];
  let total = 0;
  let read = 0;
  let more = false;
  const sink = (text: string, start: number, end: number) => {
    total++;
    entries.push(parseJsonlLine(text, start, end));
  };
  try {
    const size = (await file.stat()).size;
    if (options.strict) await checkStart(file, { fromOffset, size });
    // Past the end: nothing to read (a seek there may fail with the OS's
    // own words, e.g. "Invalid argument" for an offset past its limit).
    if (fromOffset >= size) return empty;
    await file.seek(fromOffset, Deno.SeekMode.Start);
    // No bigger than what there is to read: a short read (a catch-up of a
    // few entries, one per client of a server) does not hold 4 MiB.
    const buffer = new Uint8Array(
      Math.max(1, Math.min(CHUNK, size - fromOffset + 1, maxBytes ?? CHUNK)),
    );
    while (true) {
      if (maxBytes !== undefined && read >= maxBytes && total > 0) {
        // Stopped early, unless that was all there was.
        more = fromOffset + read < size;
        break;
      }
      const n = await file.read(buffer);
      if (n === null || n === 0) break;
      read += n;
      splitter.push(buffer.subarray(0, n), sink);
    }
  } finally {
    file.close();
  }
  return {
    entries,
    total,
    truncated: entries.length < total,
    sentinel: splitter.offset,
    ...(maxBytes === undefined ? {} : { more }),
  };
}

/**
 * Throws unless `fromOffset` is where a line starts: 0, or just after a
 * newline, and not past the end of the file.
 */
async function checkStart(
  file: Deno.FsFile,
  options: { fromOffset: number; size: number },
): Promise<void> {
  const { fromOffset, size } = options;
  if (fromOffset > size) {
    throw new RangeError(
      `offset ${fromOffset} is past the end of the transcript (${size} bytes)`,
    );
  }
  if (fromOffset === 0) return;
  const before = await readWindow(file, {
    position: fromOffset - 1,
    length: 1,
  });
  if (before[0] !== NEWLINE) {
    throw new RangeError(
      `offset ${fromOffset} is inside an entry: resume from an entry's end (a message's id)`,
    );
  }
}

/**
 * Windows up to this size are read with synchronous calls: one round trip
 * through Deno's blocking pool per `seek` and `read` costs more than such a
 * read (`aimax list` reads the ends of two files per session). A larger
 * window is awaited, so that a server's other clients are not held up.
 */
const SYNC_WINDOW = 1024 * 1024;

async function readWindow(
  file: Deno.FsFile,
  range: { position: number; length: number },
): Promise<Uint8Array> {
  return range.length <= SYNC_WINDOW
    ? readRangeSync(file, range)
    : await readRange(file, range);
}

/**
 * The last `limit` entries, read backwards from the end in growing windows:
 * the bytes touched are about those of the entries returned, however large
 * the file. `total` is exact when the read reached `fromOffset`; otherwise
 * (`truncated`) it counts the lines read, a lower bound.
 */
async function readLast(
  file: Deno.FsFile,
  options: { fromOffset: number; limit: number },
): Promise<JsonlReadResult> {
  const { fromOffset, limit } = options;
  const size = file.statSync().size;
  const first = 8 * 1024;
  // The sentinel: just past the last newline at or after fromOffset. The
  // window that holds it is kept: when the file ends with a newline (as a
  // transcript does between writes), it is also the first window below.
  let sentinel = fromOffset;
  let held: { start: number; bytes: Uint8Array } | undefined;
  for (let end = size, window = first; end > fromOffset; window *= 4) {
    const start = Math.max(fromOffset, end - window);
    const bytes = await readWindow(file, {
      position: start,
      length: end - start,
    });
    const nl = bytes.lastIndexOf(NEWLINE);
    if (nl >= 0) {
      sentinel = start + nl + 1;
      held = { start, bytes };
      break;
    }
    end = start;
  }
  if (sentinel === fromOffset) {
    return { entries: [], total: 0, truncated: false, sentinel };
  }
  // Small first (the last few records of a transcript are usually a few
  // KiB), four times wider until the window holds `limit` lines.
  for (let window = first;; window *= 4) {
    let start = Math.max(fromOffset, sentinel - window);
    const bytes = held && start >= held.start
      ? held.bytes.subarray(start - held.start, sentinel - held.start)
      : await readWindow(file, {
        position: start,
        length: sentinel - start,
      });
    let from = 0;
    if (start > fromOffset) {
      // Begin at a line start: just after the first newline in the window
      // (none: one line longer than the window, so widen it).
      const nl = bytes.indexOf(NEWLINE);
      if (nl < 0) continue;
      from = nl + 1;
      start += from;
    }
    const lines: { text: string; start: number; end: number }[] = [];
    new LineSplitter(start).push(
      bytes.subarray(from),
      (text, s, e) => lines.push({ text, start: s, end: e }),
    );
    const whole = start <= fromOffset;
    if (lines.length >= limit || whole) {
      const kept = limit === 0 ? [] : lines.slice(-limit);
      return {
        entries: kept.map((l) => parseJsonlLine(l.text, l.start, l.end)),
        total: lines.length,
        truncated: kept.length < lines.length || !whole,
        sentinel,
      };
    }
  }
}
