/**
 * Byte-exact line splitting for JSONL: turns chunks read from a byte offset
 * into complete lines with their start and end offsets, holding back a
 * partial trailing line until its newline arrives.
 *
 * @module
 */

/**
 * One line of a JSONL file.
 *
 * @example
 * ```ts
 * import { type JsonlEntry, readJsonl } from "@aimax/cli";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, '{"a":1}\nnot json\n');
 * const [good, bad]: JsonlEntry[] = (await readJsonl(path)).entries;
 * console.log(good.value, good.offset, good.end, bad.error);
 * ```
 */
export interface JsonlEntry {
  /** Byte offset where the line starts. */
  offset: number;
  /** Byte offset just past its newline: where the next line starts. */
  end: number;
  /** The parsed JSON value (`undefined` when the line is malformed). */
  value: unknown;
  /** Why the line could not be parsed; absent for good lines. */
  error?: string;
  /** The raw text of a malformed line. */
  raw?: string;
}

/** Receives one complete line (without its newline) and its byte span. */
export type LineSink = (text: string, start: number, end: number) => void;

const NEWLINE = 10;
const decoder = new TextDecoder();

/**
 * Parses one line into an entry; a malformed line becomes an error entry.
 *
 * @param text the line without its newline
 * @param start its byte offset
 * @param end the byte offset just past its newline
 */
export function parseJsonlLine(
  text: string,
  start: number,
  end: number,
): JsonlEntry {
  try {
    return { offset: start, end, value: JSON.parse(text) };
  } catch (error) {
    return {
      offset: start,
      end,
      value: undefined,
      error: error instanceof Error ? error.message : String(error),
      raw: text,
    };
  }
}

/**
 * Splits a byte stream into lines. Feed it consecutive chunks of a file
 * starting at `offset`; `offset` then always names the byte just past the
 * last complete line (the sentinel).
 */
export class LineSplitter {
  #pending: Uint8Array = new Uint8Array(0);
  #offset: number;
  #anchor: Uint8Array = new Uint8Array(0);

  /**
   * @param offset file offset of the first byte that will be pushed
   * @param anchor the bytes just before `offset` as they are in the file now
   *   (the last 64 are kept), so that a rewrite is noticed even before the
   *   first complete line is pushed
   */
  constructor(offset = 0, anchor?: Uint8Array) {
    this.#offset = offset;
    if (anchor) this.#anchor = anchor.slice(Math.max(0, anchor.length - 64));
  }

  /** Offset just past the last complete line seen. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Up to the last 64 bytes before {@linkcode LineSplitter.offset}, as last
   * seen: a reader compares them with the file to notice a rewrite.
   */
  get anchor(): Uint8Array {
    return this.#anchor;
  }

  /** Bytes of an incomplete trailing line held back. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /**
   * Starts over at `offset`, dropping any partial line.
   *
   * @param offset the new position
   */
  reset(offset: number): void {
    this.#pending = new Uint8Array(0);
    this.#anchor = new Uint8Array(0);
    this.#offset = offset;
  }

  /**
   * Feeds the next chunk; calls `sink` for each complete non-blank line.
   *
   * @param chunk bytes that follow what was pushed before
   * @param sink receives each line and its span
   */
  push(chunk: Uint8Array, sink: LineSink): void {
    let data = chunk;
    if (this.#pending.length > 0) {
      data = new Uint8Array(this.#pending.length + chunk.length);
      data.set(this.#pending);
      data.set(chunk, this.#pending.length);
    }
    const last = data.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.#pending = data.slice();
      return;
    }
    // One decode for every complete line: a newline byte never occurs inside
    // a multi-byte UTF-8 sequence, so byte and string newlines align.
    const text = decoder.decode(data.subarray(0, last + 1));
    let byteStart = 0;
    let charStart = 0;
    const base = this.#offset;
    while (byteStart <= last) {
      const byteNl = data.indexOf(NEWLINE, byteStart);
      const charNl = text.indexOf("\n", charStart);
      const line = text.slice(charStart, charNl);
      if (line.trim() !== "") {
        sink(line, base + byteStart, base + byteNl + 1);
      }
      byteStart = byteNl + 1;
      charStart = charNl + 1;
    }
    this.#offset = base + last + 1;
    this.#anchor = data.slice(Math.max(0, last + 1 - 64), last + 1);
    this.#pending = last + 1 < data.length
      ? data.slice(last + 1)
      : new Uint8Array(0);
  }
}
