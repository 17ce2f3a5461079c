/**
 * What every part of a backend shares: the agent, the config snapshot, the
 * state store and the time limits, and the ways to reach a session's tmux
 * server and pane.
 *
 * @module
 */
import type { AgentProfile } from "../agents/agent.ts";
import type { TmuxAgentsConfig } from "../config.ts";
import { SessionNotFoundError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import { type SessionRecord, StateStore } from "../state.ts";
import { TmuxClient } from "../tmux/mod.ts";
import { Pane } from "./pane.ts";
import { type BackendTimings, DEFAULT_TIMINGS } from "./timings.ts";

/** The window every hub session opens with; never a session (ids start with a letter or digit). */
export const HUB_WINDOW = "_hub";

/** One backend's shared parts. */
export interface BackendContext {
  /** Backend name. */
  readonly name: string;
  /** The agent. */
  readonly profile: AgentProfile;
  /** The config snapshot. */
  readonly config: TmuxAgentsConfig;
  /** The state files. */
  readonly store: StateStore;
  /** Time limits. */
  readonly timings: BackendTimings;
}

/**
 * The shared parts of agent `profile`'s backend under `config`: what every
 * operation of the tmux backend and a listing of many backends' sessions
 * start from.
 *
 * @example
 * ```ts
 * import { backendContext } from "./context.ts";
 * import { configFromEnv } from "../config.ts";
 * import { AGENT_PROFILES } from "../agents/mod.ts";
 * const ctx = backendContext(AGENT_PROFILES[0], configFromEnv());
 * console.log(ctx.store.dataDir);
 * ```
 * @param profile the agent
 * @param config the config snapshot (copied)
 * @param options `timings` to override some time limits
 */
export function backendContext(
  profile: AgentProfile,
  config: TmuxAgentsConfig,
  options: { timings?: Partial<BackendTimings> } = {},
): BackendContext {
  return {
    name: profile.name,
    profile,
    config: { ...config },
    store: new StateStore(config.dataDir),
    timings: { ...DEFAULT_TIMINGS, ...profile.timings, ...options.timings },
  };
}

/**
 * A tmux client on `socket` (default: the configured server).
 *
 * @param ctx the backend
 * @param socket a session's recorded server
 */
export function tmuxOf(ctx: BackendContext, socket?: string): TmuxClient {
  return new TmuxClient({
    socket: socket ?? ctx.config.tmuxSocket,
    bin: ctx.config.tmuxBin,
    timeoutMs: ctx.timings.tmuxCallMs,
  });
}

/**
 * The driver of a session's pane.
 *
 * @param ctx the backend
 * @param record the session
 */
export function paneOf(ctx: BackendContext, record: SessionRecord): Pane {
  return new Pane(tmuxOf(ctx, record.tmuxSocket), record, {
    profile: ctx.profile,
    timings: ctx.timings,
  });
}

/**
 * A live session's record, or {@linkcode SessionNotFoundError}.
 *
 * @param ctx the backend
 * @param sessionId session id (validated here)
 */
export async function recordOf(
  ctx: BackendContext,
  sessionId: string,
): Promise<SessionRecord> {
  validateSessionId(sessionId);
  const record = await ctx.store.get(ctx.name, sessionId);
  if (!record) throw new SessionNotFoundError(ctx.name, sessionId);
  return record;
}
