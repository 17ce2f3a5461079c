/**
 * A small synchronous event bus: one set of listeners, fan-out in order,
 * a throwing listener never stops the others.
 *
 * @module
 */

/**
 * Fans each published value out to every subscribed listener.
 *
 * @example
 * ```ts
 * import { EventBus } from "./bus.ts";
 * const bus = new EventBus<string>();
 * const off = bus.subscribe((v) => console.log(v));
 * bus.publish("hello");
 * off();
 * ```
 */
export class EventBus<T> {
  readonly #listeners = new Set<(value: T) => void>();
  readonly #onError: (error: unknown) => void;

  /**
   * Creates an instance.
   * @param onError receives what a listener throws (default: stderr)
   */
  constructor(
    onError: (error: unknown) => void = (e) =>
      console.error("aimax: listener failed:", e),
  ) {
    this.#onError = onError;
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#listeners.size;
  }

  /**
   * Adds a listener.
   *
   * @param listener receives each value
   * @returns a function that removes it
   */
  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Removes a listener.
   *
   * @param listener one passed to {@linkcode EventBus.subscribe}
   */
  unsubscribe(listener: (value: T) => void): void {
    this.#listeners.delete(listener);
  }

  /**
   * Calls every listener with `value`, in subscription order.
   *
   * @param value what to deliver
   */
  publish(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
