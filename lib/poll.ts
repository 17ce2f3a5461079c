/**
 * Waiting for a condition: one polling loop with a deadline, abort and an
 * early wake-up, instead of hand-written `while (Date.now() < deadline)`
 * loops.
 *
 * @module
 */

/**
 * What a {@linkcode pollUntil} check returns: `undefined`, `null` or `false`
 * for "not yet", anything else (including `0` and `""`) for "done, with this
 * value".
 */
export type PollCheck<T> = () =>
  | T
  | undefined
  | null
  | false
  | Promise<T | undefined | null | false>;

/** Options for {@linkcode pollUntil}. */
export interface PollOptions {
  /** Give up after this long; the check still runs once at (or after) the deadline. */
  timeoutMs: number;
  /** Pause between checks. */
  intervalMs: number;
  /** Stops the wait: {@linkcode pollUntil} rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * When this settles (resolves or rejects), the check runs again at once:
   * the pause in progress ends (or, if the check was running, the next
   * pause is skipped). A promise cuts one pause short: later pauses last
   * `intervalMs` again. A function is called before every pause for a new
   * promise, so each of a stream of events can cut its pause short.
   */
  wake?: Promise<unknown> | (() => Promise<unknown>);
}

/**
 * How a {@linkcode pollUntil} ended: with the check's value, or timed out.
 *
 * @example
 * ```ts
 * import { pollUntil, type PollResult } from "./poll.ts";
 * const result: PollResult<number> = await pollUntil(() => 7, {
 *   timeoutMs: 100,
 *   intervalMs: 10,
 * });
 * if (!result.timedOut) console.log(result.value); // 7
 * ```
 */
export type PollResult<T> =
  | { readonly timedOut: false; readonly value: T }
  | { readonly timedOut: true; readonly attempts: number };

/**
 * Waits `ms` milliseconds.
 *
 * @example
 * ```ts
 * import { sleep } from "./poll.ts";
 * await sleep(10);
 * ```
 * @param ms how long
 * @param signal rejects with `signal.reason` when it aborts (at once if it already has)
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return startPause(ms, signal).done;
}

/**
 * Runs `check` until it returns a value (anything but `undefined`, `null` or
 * `false`), pausing `intervalMs` between runs. Never throws on timeout: the
 * result says whether the check succeeded, so the caller decides what a
 * timeout means. A check that is running when time runs out is awaited, and
 * its errors propagate.
 *
 * @example
 * ```ts
 * import { pollUntil } from "./poll.ts";
 * const path = await Deno.makeTempFile();
 * const result = await pollUntil(
 *   async () => (await Deno.stat(path)).size > 0 || undefined,
 *   { timeoutMs: 50, intervalMs: 10 },
 * );
 * if (result.timedOut) console.log(`still empty after ${result.attempts} looks`);
 * ```
 * @param check tells whether the wait is over, and with what value
 * @param options `timeoutMs`, `intervalMs`, and optionally `signal` and `wake`
 * @returns the value, or `{ timedOut: true }` with how often `check` ran
 * @throws the abort reason when `signal` aborts
 */
export async function pollUntil<T>(
  check: PollCheck<T>,
  options: PollOptions,
): Promise<PollResult<T>> {
  const { timeoutMs, intervalMs, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let current: Pause | undefined;
  // Set when `wake` settles, cleared by the next check: a wake during a
  // check skips the pause after it.
  let wakeUnseen = false;
  const onWake = () => {
    wakeUnseen = true;
    current?.end();
  };
  const { wake } = options;
  if (wake && typeof wake !== "function") wake.then(onWake, onWake);
  let attempts = 0;
  while (true) {
    signal?.throwIfAborted();
    attempts++;
    wakeUnseen = false;
    if (typeof wake === "function") wake().then(onWake, onWake);
    const result = await check();
    if (result !== undefined && result !== null && result !== false) {
      return { timedOut: false, value: result };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { timedOut: true, attempts };
    if (wakeUnseen) continue;
    current = startPause(Math.min(intervalMs, left), signal);
    try {
      await current.done;
    } finally {
      current = undefined;
    }
  }
}

/** A running pause that can be ended early. */
interface Pause {
  /** Resolves when the time is up or {@linkcode Pause.end} is called; rejects on abort. */
  readonly done: Promise<void>;
  /** Ends the pause now. */
  end(): void;
}

/** Starts a pause of `ms` that rejects with `signal.reason` on abort. */
function startPause(ms: number, signal: AbortSignal | undefined): Pause {
  let end = () => {};
  const done = new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const aborted = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    end = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      resolve();
    };
    const timer = setTimeout(end, ms);
    signal?.addEventListener("abort", aborted, { once: true });
  });
  return { done, end };
}
