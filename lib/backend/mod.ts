/**
 * The backend: the {@linkcode AgentBackend} contract and its tmux
 * implementation, split by flow (see each module).
 *
 * @module
 */
export * from "./contract.ts";
export { HUB_WINDOW } from "./context.ts";
export { TmuxAgentBackend } from "./backend.ts";
export { type BackendTimings, DEFAULT_TIMINGS } from "./timings.ts";
export type { TurnOutcome, WaitOptions } from "./turns.ts";
