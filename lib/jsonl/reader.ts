/**
 * History reads of JSONL transcripts: from a byte offset to the last
 * complete line, with seek-based chunked reads.
 *
 * @module
 */
import { type JsonlEntry, LineSplitter, parseJsonlLine } from "./lines.ts";

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
  /** Keep only the last `limit` entries (all are still counted in `total`). */
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
  /** How many complete lines lie between `fromOffset` and the sentinel. */
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
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { entries: [], total: 0, truncated: false, sentinel: fromOffset };
    }
    throw error;
  }
  const splitter = new LineSplitter(fromOffset);
  const entries: JsonlEntry[] = [];
  // With a limit, keep raw lines in a ring and parse only the kept ones.
  const ring: { text: string; start: number; end: number }[] = [];
  let total = 0;
  const sink = limit === undefined
    ? (text: string, start: number, end: number) => {
      total++;
      entries.push(parseJsonlLine(text, start, end));
    }
    : (text: string, start: number, end: number) => {
      total++;
      if (limit === 0) return;
      ring[(total - 1) % limit] = { text, start, end };
    };
  try {
    await file.seek(fromOffset, Deno.SeekMode.Start);
    const buffer = new Uint8Array(CHUNK);
    while (true) {
      const n = await file.read(buffer);
      if (n === null || n === 0) break;
      splitter.push(buffer.subarray(0, n), sink);
    }
  } finally {
    file.close();
  }
  if (limit !== undefined && limit > 0) {
    const kept = Math.min(total, limit);
    for (let i = total - kept; i < total; i++) {
      const line = ring[i % limit];
      entries.push(parseJsonlLine(line.text, line.start, line.end));
    }
  }
  return {
    entries,
    total,
    truncated: entries.length < total,
    sentinel: splitter.offset,
  };
}
