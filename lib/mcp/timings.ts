/**
 * Every time limit of the MCP server, in one object.
 *
 * @module
 */

/**
 * Time limits of the MCP server, in milliseconds.
 *
 * @example
 * ```ts
 * import type { McpTimings } from "./timings.ts";
 * const quick: Partial<McpTimings> = { progressMs: 50 };
 * ```
 */
export interface McpTimings {
  /**
   * How long a wait (`wait`, `send`/`create_session` with `wait: true`)
   * lasts when the model gives no `timeout_seconds`: below the 60 s many
   * MCP clients give a tool call by default, so the model
   * gets an answer ("still working, call wait again") rather than a
   * client-side timeout.
   */
  readonly waitDefaultMs: number;
  /** The longest wait a model may ask for. */
  readonly waitMaxMs: number;
  /** How often a wait sends a progress notification (when the client asked for them). */
  readonly progressMs: number;
}

/**
 * The MCP server's time limits.
 *
 * @example
 * ```ts
 * import { MCP_TIMINGS } from "./timings.ts";
 * console.log(MCP_TIMINGS.waitDefaultMs); // 50000
 * ```
 */
export const MCP_TIMINGS: McpTimings = Object.freeze({
  waitDefaultMs: 50_000,
  waitMaxMs: 3_600_000,
  progressMs: 5_000,
});
