/**
 * What git and setup commands share as child processes: reading their
 * output within a bound, and killing them with what they started.
 *
 * @module
 */

/**
 * Kills `child` with SIGKILL, and with it its process group when it leads
 * one (spawned `detached`) and the permissions allow it: a group kill needs
 * an unscoped `--allow-run`; under `--allow-run=git,sh` only the child
 * itself is killed.
 *
 * @example
 * ```ts
 * import { killProcessTree } from "./process.ts";
 * const child = new Deno.Command("sh", { args: ["-c", "sleep 60 & wait"], detached: true }).spawn();
 * killProcessTree(child);
 * await child.status;
 * ```
 * @param child a spawned process
 */
export function killProcessTree(child: Deno.ChildProcess): void {
  try {
    Deno.kill(-child.pid, "SIGKILL");
    return;
  } catch {
    // Not a group leader, gone already, or not allowed (scoped --allow-run).
  }
  try {
    child.kill("SIGKILL");
  } catch {
    // gone already
  }
}

/**
 * Hands each chunk of `stream` to `onChunk` (awaited) until the stream
 * ends or `options.signal` aborts: a process killed on a time limit may
 * have left children holding its pipes, so the read is cancelled instead
 * of waiting for them.
 *
 * @example
 * ```ts
 * import { readChunks } from "./process.ts";
 * const child = new Deno.Command("echo", { args: ["hi"], stdout: "piped" }).spawn();
 * await readChunks(child.stdout, {
 *   signal: new AbortController().signal,
 *   onChunk: (chunk) => console.log(chunk.length),
 * });
 * await child.status;
 * ```
 * @param stream a child's standard output or error
 * @param options `signal` to stop reading; `onChunk`
 */
export async function readChunks(
  stream: ReadableStream<Uint8Array>,
  options: {
    signal: AbortSignal;
    onChunk: (chunk: Uint8Array) => void | Promise<void>;
  },
): Promise<void> {
  const reader = stream.getReader();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  if (options.signal.aborted) cancel();
  options.signal.addEventListener("abort", cancel, { once: true });
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      await options.onChunk(value);
    }
  } finally {
    options.signal.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
}

/**
 * Output read by {@linkcode readBounded}.
 *
 * @example
 * ```ts
 * import type { BoundedOutput } from "./process.ts";
 * const out: BoundedOutput = { bytes: new Uint8Array(0), over: false };
 * ```
 */
export interface BoundedOutput {
  /** The first bytes read (at most the bound). */
  bytes: Uint8Array;
  /** Whether more than the bound came. */
  over: boolean;
}

/**
 * Reads `stream` as {@linkcode readChunks} does, keeping its first `max`
 * bytes. Past them, `onOver` is called once and the rest is dropped.
 *
 * @example
 * ```ts
 * import { readBounded } from "./process.ts";
 * const child = new Deno.Command("echo", { args: ["hi"], stdout: "piped" }).spawn();
 * const out = await readBounded(child.stdout, { max: 1024, signal: new AbortController().signal });
 * await child.status;
 * console.log(new TextDecoder().decode(out.bytes)); // "hi\n"
 * ```
 * @param stream a child's standard output or error
 * @param options `max` bytes kept; `signal` to stop reading; `onOver`
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array>,
  options: { max: number; signal: AbortSignal; onOver?: () => void },
): Promise<BoundedOutput> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let over = false;
  await readChunks(stream, {
    signal: options.signal,
    onChunk: (chunk) => {
      const room = options.max - kept;
      if (chunk.length <= room) {
        chunks.push(chunk);
        kept += chunk.length;
        return;
      }
      if (room > 0) {
        chunks.push(chunk.subarray(0, room));
        kept += room;
      }
      if (!over) {
        over = true;
        options.onOver?.();
      }
    },
  });
  const bytes = new Uint8Array(kept);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, over };
}
