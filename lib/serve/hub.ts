/**
 * Every session's events for any number of `/api/events` clients: one
 * {@linkcode subscribeEvents} for the whole server, started with the first
 * client and stopped with the last.
 *
 * @module
 */
import { subscribeEvents } from "../follow.ts";
import type { AgentEvent } from "../signals/events.ts";

/**
 * Fans one subscription out to many listeners.
 *
 * @example
 * ```ts
 * import { EventHub } from "./hub.ts";
 * const hub = new EventHub();
 * const leave = await hub.join((event) => console.log(event.type));
 * await leave();
 * ```
 */
export class EventHub {
  readonly #listeners = new Set<(event: AgentEvent) => void>();
  #stop: Promise<() => Promise<void>> | undefined;
  readonly #checkMs: number;

  /**
   * Creates a hub.
   *
   * @param options how often states are checked (default 1 s)
   */
  constructor(options: { checkMs?: number } = {}) {
    this.#checkMs = options.checkMs ?? 1_000;
  }

  /**
   * Adds `listener`; resolves once events flow.
   *
   * @param listener receives every event (without its raw record)
   * @returns what removes it
   */
  async join(
    listener: (event: AgentEvent) => void,
  ): Promise<() => Promise<void>> {
    this.#listeners.add(listener);
    this.#stop ??= subscribeEvents((event) => {
      const { raw: _raw, ...rest } = event;
      for (const l of this.#listeners) l(rest as AgentEvent);
    }, { checkMs: this.#checkMs });
    try {
      await this.#stop;
    } catch (error) {
      this.#listeners.delete(listener);
      this.#stop = undefined;
      throw error;
    }
    return async () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size > 0 || !this.#stop) return;
      const stopping = this.#stop;
      this.#stop = undefined;
      await (await stopping)();
    };
  }

  /** Stops the subscription (server shutdown). */
  async close(): Promise<void> {
    this.#listeners.clear();
    const stopping = this.#stop;
    this.#stop = undefined;
    if (stopping) await (await stopping)();
  }
}
