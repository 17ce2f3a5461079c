/**
 * Cross-process exclusive locks on files (advisory `flock`), released by the
 * kernel when the holder dies, even by SIGKILL.
 *
 * @module
 */
import { dirname } from "node:path";

/**
 * Runs `fn` while holding an exclusive lock on `lockPath` (created if
 * needed). Other processes (and other callers in this one) wait.
 *
 * @example
 * ```ts
 * import { withFileLock } from "./lock.ts";
 * const lock = await Deno.makeTempFile();
 * const value = await withFileLock(lock, () => 42);
 * ```
 * @param lockPath the lock file
 * @param fn the critical section
 * @returns what `fn` returns
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  await Deno.mkdir(dirname(lockPath), { recursive: true });
  const file = await Deno.open(lockPath, {
    read: true,
    write: true,
    create: true,
  });
  try {
    await file.lock(true);
    try {
      return await fn();
    } finally {
      await file.unlock();
    }
  } finally {
    file.close();
  }
}
