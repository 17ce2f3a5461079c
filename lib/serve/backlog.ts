/**
 * When a streaming client is too slow: a client whose backlog (bytes queued
 * for it and not yet taken) passes the cap is dropped once it has read
 * nothing for a while, and at once past a hard cap. A client that reads
 * keeps up with a burst (an agent writing a large tool output) however far
 * behind the burst puts it; one that stopped reading holds little more than
 * the cap. A dropped client resumes from its last id and misses nothing
 * (the transcript is the buffer).
 *
 * @module
 */

/** Default backlog cap per client: 4 MiB. */
export const MAX_QUEUE_BYTES = 4 * 1024 * 1024;

/** Options of {@linkcode BacklogGuard}. */
export interface BacklogOptions {
  /** Past this backlog a client must keep reading (default 4 MiB). */
  maxBytes?: number;
  /** Past this backlog a client is dropped at once (default 16 × maxBytes). */
  hardMaxBytes?: number;
  /** How long a client over the cap may read nothing (default 2 s). */
  stallMs?: number;
}

/** How often a producer waiting for room looks at the backlog. */
const ROOM_POLL_MS = 20;

/**
 * Watches one client's backlog and drops it when it is too slow. Every
 * byte queued for the client goes through {@linkcode BacklogGuard.wrote},
 * a catch-up's as much as a live entry's; a producer that can wait (a
 * catch-up) writes its next piece only once {@linkcode BacklogGuard.room}
 * says there is room, so a client that reads nothing holds about the cap
 * and is then dropped like any other.
 *
 * @example
 * ```ts
 * import { BacklogGuard } from "./backlog.ts";
 * let queued = 0;
 * const guard = new BacklogGuard(() => queued, () => console.log("dropped"), {
 *   maxBytes: 10,
 * });
 * queued += 100;
 * guard.wrote(100); // over the cap: dropped if nothing is read for 2 s
 * guard.close();
 * ```
 */
export class BacklogGuard {
  readonly #queued: () => number;
  readonly #drop: () => void;
  readonly #max: number;
  readonly #hardMax: number;
  readonly #stallMs: number;
  /** Every byte queued so far; minus the backlog, what the client took. */
  #written = 0;
  #taken = 0;
  #progressAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #done = false;

  /**
   * Creates a guard.
   *
   * @param queued the client's backlog now, in bytes
   * @param drop drops the client (called at most once)
   * @param options caps and stall time
   */
  constructor(
    queued: () => number,
    drop: () => void,
    options: BacklogOptions = {},
  ) {
    this.#queued = queued;
    this.#drop = drop;
    this.#max = options.maxBytes ?? MAX_QUEUE_BYTES;
    this.#hardMax = options.hardMaxBytes ?? 16 * this.#max;
    this.#stallMs = options.stallMs ?? 2_000;
  }

  /**
   * Notes bytes just queued for the client, and judges it.
   *
   * @param bytes how many
   * @returns false once the client was dropped
   */
  wrote(bytes: number): boolean {
    if (this.#done) return false;
    this.#written += bytes;
    const backlog = this.#backlog();
    if (backlog > this.#hardMax) return this.#dropNow();
    if (backlog > this.#max && !this.#timer) {
      this.#progressAt = Date.now();
      this.#taken = this.#written - this.#queued();
      this.#timer = setInterval(() => this.#check(), this.#stallMs / 4);
    }
    return true;
  }

  /**
   * Resolves once the backlog is at most the cap (`true`), or `false` once
   * the client was dropped or the guard closed.
   */
  async room(): Promise<boolean> {
    while (!this.#done && this.#queued() > this.#max) {
      await new Promise((resolve) => setTimeout(resolve, ROOM_POLL_MS));
    }
    return !this.#done;
  }

  /** Stops watching (the client is gone). */
  close(): void {
    this.#done = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The client's backlog. */
  #backlog(): number {
    return this.#queued();
  }

  #check(): void {
    if (this.#backlog() <= this.#max) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const taken = this.#written - this.#queued();
    if (taken > this.#taken) {
      this.#taken = taken;
      this.#progressAt = Date.now();
    } else if (Date.now() - this.#progressAt >= this.#stallMs) {
      this.#dropNow();
    }
  }

  #dropNow(): false {
    this.close();
    this.#drop();
    return false;
  }
}
