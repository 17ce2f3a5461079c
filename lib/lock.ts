/**
 * Cross-process exclusive locks on files (advisory `flock`), released by the
 * kernel when the holder dies, even by SIGKILL. A waiter gives up after a
 * timeout and names the process holding the lock: the holder writes its pid
 * into the lock file while it holds it.
 *
 * @module
 */
import { dirname } from "./path.ts";
import { AimaxError } from "./errors.ts";
import { pollUntil } from "./poll.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./private.ts";

/** How long {@linkcode withFileLock} waits for a lock unless told otherwise: 30 s. */
export const LOCK_TIMEOUT_MS = 30_000;

/** How often a waiter tries a busy lock again. */
const LOCK_RETRY_MS = 10;

/**
 * Options for {@linkcode withFileLock}.
 *
 * @example
 * ```ts
 * import { type FileLockOptions, withFileLock } from "./lock.ts";
 * const options: FileLockOptions = { timeoutMs: 5_000 };
 * await withFileLock(await Deno.makeTempFile(), () => {}, options);
 * ```
 */
export interface FileLockOptions {
  /** Give up waiting after this long (0: try once); default {@linkcode LOCK_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * Who holds a lock, as its holder wrote it into the lock file.
 *
 * @example
 * ```ts
 * import { type LockHolder, readLockHolder } from "./lock.ts";
 * const holder: LockHolder | undefined = await readLockHolder("/tmp/x.lock");
 * console.log(holder?.pid);
 * ```
 */
export interface LockHolder {
  /** The holder's process id. */
  pid: number;
  /** When it took the lock (ISO 8601). */
  since: string;
}

/**
 * A lock stayed held by another process (or another caller in this one) for
 * the whole timeout. Nothing was run.
 *
 * @example
 * ```ts
 * import { LockTimeoutError, withFileLock } from "./lock.ts";
 * try {
 *   await withFileLock(await Deno.makeTempFile(), () => {}, { timeoutMs: 1000 });
 * } catch (error) {
 *   if (error instanceof LockTimeoutError) console.log(error.holder?.pid);
 * }
 * ```
 */
export class LockTimeoutError extends AimaxError {
  /** The lock file. */
  readonly lockPath: string;
  /** Who held it when the wait gave up; `undefined` when no holder was recorded. */
  readonly holder: LockHolder | undefined;

  /**
   * Creates an instance.
   *
   * @param lockPath the lock file
   * @param holder who held it, when known
   * @param options how long the wait lasted
   */
  constructor(
    lockPath: string,
    holder: LockHolder | undefined,
    options: { timeoutMs: number },
  ) {
    const who = holder
      ? `pid ${holder.pid}${
        holder.pid === Deno.pid ? " (this process)" : ""
      } has held it since ${holder.since}`
      : "its holder recorded no pid";
    super(
      "lock_timeout",
      `gave up after ${options.timeoutMs} ms waiting for the lock ${lockPath}: ${who}. If that process is stuck, stop it; the lock is released when it exits.`,
    );
    this.name = "LockTimeoutError";
    this.lockPath = lockPath;
    this.holder = holder;
  }
}

/**
 * Reads who holds `lockPath`, as its holder recorded it (`undefined` when
 * the file is missing, empty or not a holder record). The record may be a
 * moment stale: a holder writes it just after taking the lock and clears it
 * just before releasing it, and one killed while holding leaves it behind.
 *
 * @example
 * ```ts
 * import { readLockHolder, withFileLock } from "./lock.ts";
 * const lock = await Deno.makeTempFile();
 * await withFileLock(lock, async () => {
 *   console.log((await readLockHolder(lock))?.pid === Deno.pid); // true
 * });
 * ```
 * @param lockPath the lock file
 */
export async function readLockHolder(
  lockPath: string,
): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(lockPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    const record = JSON.parse(text);
    if (Number.isSafeInteger(record?.pid) && typeof record.since === "string") {
      return { pid: record.pid, since: record.since };
    }
  } catch { /* partly written or foreign content: unknown holder */ }
  return undefined;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await file.write(bytes.subarray(written));
  }
}

/**
 * Runs `fn` while holding an exclusive lock on `lockPath` (created if
 * needed). Other processes (and other callers in this one) wait, up to
 * `timeoutMs`; while `fn` runs, the lock file holds this process's
 * {@linkcode LockHolder} record.
 *
 * @example
 * ```ts
 * import { withFileLock } from "./lock.ts";
 * const lock = await Deno.makeTempFile();
 * const value = await withFileLock(lock, () => 42, { timeoutMs: 5_000 });
 * ```
 * @param lockPath the lock file
 * @param fn the critical section
 * @param options `timeoutMs`
 * @returns what `fn` returns
 * @throws {LockTimeoutError} when the lock stays held for `timeoutMs`
 * @throws {RangeError} when `timeoutMs` is not a duration
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => T | Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? LOCK_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new RangeError(`timeoutMs must be >= 0, got ${timeoutMs}`);
  }
  await Deno.mkdir(dirname(lockPath), {
    recursive: true,
    mode: PRIVATE_DIR_MODE,
  });
  // Not truncated on open: that would erase the holder's record.
  const file = await Deno.open(lockPath, {
    read: true,
    write: true,
    create: true,
    mode: PRIVATE_FILE_MODE,
  });
  try {
    // Deno's blocking lock() cannot be cancelled (closing the file leaves
    // the wait running), so a waiter polls the non-blocking tryLock().
    const got = await pollUntil(() => file.tryLock(true), {
      timeoutMs,
      intervalMs: LOCK_RETRY_MS,
    });
    if (got.timedOut) {
      throw new LockTimeoutError(lockPath, await readLockHolder(lockPath), {
        timeoutMs,
      });
    }
    try {
      const holder: LockHolder = {
        pid: Deno.pid,
        since: new Date().toISOString(),
      };
      await file.truncate(0);
      await writeAll(
        file,
        new TextEncoder().encode(JSON.stringify(holder) + "\n"),
      );
      return await fn();
    } finally {
      try {
        await file.truncate(0);
      } finally {
        await file.unlock();
      }
    }
  } finally {
    file.close();
  }
}
