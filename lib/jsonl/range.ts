/**
 * Reading a byte range of a file whole (a `read` may return less than
 * asked).
 *
 * @module
 */

/**
 * Reads `length` bytes at `position` (fewer at the end of the file).
 *
 * @example
 * ```ts
 * import { readRange } from "./range.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello\n");
 * using file = await Deno.open(path);
 * console.log(new TextDecoder().decode(await readRange(file, { position: 1, length: 3 }))); // "ell"
 * ```
 * @param file an open file
 * @param options where and how much
 */
export async function readRange(
  file: Deno.FsFile,
  options: { position: number; length: number },
): Promise<Uint8Array> {
  const out = new Uint8Array(options.length);
  await file.seek(options.position, Deno.SeekMode.Start);
  let got = 0;
  while (got < options.length) {
    const n = await file.read(out.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return out.subarray(0, got);
}

/**
 * {@linkcode readRange} with synchronous calls: for small reads, where a
 * round trip through Deno's blocking pool per `seek` and `read` costs more
 * than the read itself.
 *
 * @example
 * ```ts
 * import { readRangeSync } from "./range.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello\n");
 * using file = Deno.openSync(path);
 * console.log(new TextDecoder().decode(readRangeSync(file, { position: 1, length: 3 }))); // "ell"
 * ```
 * @param file an open file
 * @param options where and how much
 */
export function readRangeSync(
  file: Deno.FsFile,
  options: { position: number; length: number },
): Uint8Array {
  const out = new Uint8Array(options.length);
  file.seekSync(options.position, Deno.SeekMode.Start);
  let got = 0;
  while (got < options.length) {
    const n = file.readSync(out.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return out.subarray(0, got);
}
