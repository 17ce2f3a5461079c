/**
 * Where a live tail of a JSONL file starts: the end of the last complete
 * line now (a live-only watch), or a given offset checked against the file
 * (the bytes just before it, or why the file cannot hold it).
 *
 * @module
 */
import { readRange } from "./range.ts";

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
export type StartPoint =
  | { readonly anchor: Uint8Array }
  | { readonly stale: "truncated" | "replaced" };

/**
 * Where a tail starting at `offset` of `path` stands (see
 * {@linkcode StartPoint}). Offset 0 always holds, with an empty anchor.
 *
 * @param path the JSONL file
 * @param offset the start offset
 */
export async function startPoint(
  path: string,
  offset: number,
): Promise<StartPoint> {
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
