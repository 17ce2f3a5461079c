/**
 * One `Deno.watchFs` per directory, shared by every tail of a file in it.
 * Agents keep many transcripts in one directory (a project's, a day's);
 * Deno checks each event against every open watcher with several system
 * calls, so a watcher per file made each append cost grow with the number
 * of files followed. Here each directory has one watcher and one loop, and
 * its events go to every listener of that directory, which keeps those
 * about its own file.
 *
 * @module
 */

/** Receives a directory's events. */
export interface DirListener {
  /** One event (any file of the directory, or the directory itself). */
  event(event: Deno.FsEvent): void;
  /** The watch failed (then the listener is no longer subscribed), or `event` threw. */
  error(error: unknown): void;
}

interface DirWatch {
  readonly watcher: Deno.FsWatcher;
  readonly listeners: Set<DirListener>;
}

const watches = new Map<string, DirWatch>();

/**
 * Subscribes `listener` to the events of directory `dir` (not recursive).
 *
 * @example
 * ```ts
 * import { watchDir } from "./dir_watch.ts";
 * const dir = await Deno.makeTempDir();
 * const stop = watchDir(dir, {
 *   event: (e) => console.log(e.kind, e.paths),
 *   error: console.error,
 * });
 * stop();
 * ```
 * @param dir an existing directory
 * @param listener receives its events
 * @returns unsubscribes (the last one closes the watcher); no event is
 * delivered to the listener after it returns
 * @throws {Deno.errors.NotFound} when `dir` does not exist
 */
export function watchDir(dir: string, listener: DirListener): () => void {
  let watch = watches.get(dir);
  if (!watch) {
    watch = {
      watcher: Deno.watchFs(dir, { recursive: false }),
      listeners: new Set(),
    };
    watches.set(dir, watch);
    void pump(dir, watch);
  }
  watch.listeners.add(listener);
  const joined = watch;
  return () => {
    if (!joined.listeners.delete(listener)) return;
    if (joined.listeners.size > 0) return;
    if (watches.get(dir) === joined) watches.delete(dir);
    joined.watcher.close();
  };
}

/** How many directories are watched now (for tests and benchmarks). */
export function watchedDirCount(): number {
  return watches.size;
}

async function pump(dir: string, watch: DirWatch): Promise<void> {
  try {
    for await (const event of watch.watcher) {
      for (const listener of [...watch.listeners]) {
        // One that left while an earlier one ran gets nothing more.
        if (!watch.listeners.has(listener)) continue;
        try {
          listener.event(event);
        } catch (error) {
          listener.error(error);
        }
      }
    }
  } catch (error) {
    if (watches.get(dir) === watch) watches.delete(dir);
    const listeners = [...watch.listeners];
    watch.listeners.clear();
    for (const listener of listeners) listener.error(error);
  }
}
