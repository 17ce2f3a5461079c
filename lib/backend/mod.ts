/**
 * The backend: the contracts ({@linkcode AgentBackend},
 * {@linkcode SessionBackend}) and their tmux implementation, split by flow
 * (see each module).
 *
 * @module
 */
export * from "./contract.ts";
export { HUB_WINDOW } from "./context.ts";
export { TmuxAgentBackend } from "./backend.ts";
export { type BackendTimings, DEFAULT_TIMINGS } from "./timings.ts";
