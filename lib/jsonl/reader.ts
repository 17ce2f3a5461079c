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
      return { entries: [], total: 0, truncated: false, sentinel: fromOffset };
    }
    throw error;
  }
  if (limit !== undefined) {
    try {
      return await readLast(file, { fromOffset, limit });
    } finally {
      file.close();
    }
  }
  const splitter = new LineSplitter(fromOffset);
  const entries: JsonlEntry[] = [];
  let total = 0;
  const sink = (text: string, start: number, end: number) => {
    total++;
    entries.push(parseJsonlLine(text, start, end));
  };
  try {
    await file.seek(fromOffset, Deno.SeekMode.Start);
    // No bigger than what there is to read: a short read (a catch-up of a
    // few entries, one per client of a server) does not hold 4 MiB.
    const size = (await file.stat()).size;
    const buffer = new Uint8Array(
      Math.max(1, Math.min(CHUNK, size - fromOffset + 1)),
    );
    while (true) {
      const n = await file.read(buffer);
      if (n === null || n === 0) break;
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
  };
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
  // The sentinel: just past the last newline at or after fromOffset.
  let sentinel = fromOffset;
  for (let end = size, window = 4096; end > fromOffset; window *= 4) {
    const start = Math.max(fromOffset, end - window);
    const bytes = await readWindow(file, {
      position: start,
      length: end - start,
    });
    const nl = bytes.lastIndexOf(NEWLINE);
    if (nl >= 0) {
      sentinel = start + nl + 1;
      break;
    }
    end = start;
  }
  if (sentinel === fromOffset) {
    return { entries: [], total: 0, truncated: false, sentinel };
  }
  // Small first (the last few records of a transcript are usually a few
  // KiB), four times wider until the window holds `limit` lines.
  for (let window = 8 * 1024;; window *= 4) {
    let start = Math.max(fromOffset, sentinel - window);
    const bytes = await readWindow(file, {
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
