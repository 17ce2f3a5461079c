/**
 * Every session of every backend in one call, built from the agent
 * registry and the config alone: listing loads neither the operations that
 * start, type into or stop sessions nor the worktree engine, so `aimax
 * list` starts fast.
 *
 * @module
 */
import { AGENT_PROFILES, profileOf } from "./agents/mod.ts";
import type { SessionStatus } from "./backend/contract.ts";
import { backendContext } from "./backend/context.ts";
import { listSessions } from "./backend/status.ts";
import { getConfig } from "./config.ts";

/**
 * Every session of every backend (or of `backend`), with one tmux call in
 * all (two more when a session's pane is gone).
 *
 * @example
 * ```ts
 * import { listAllSessions } from "@aimax/cli";
 * for (const s of await listAllSessions()) console.log(s.sessionId, s.state);
 * ```
 * @param options `backend` to list one backend only
 * @throws {InputError} for an unknown backend name
 */
export async function listAllSessions(
  options: { backend?: string } = {},
): Promise<SessionStatus[]> {
  const profiles = options.backend
    ? [profileOf(options.backend)]
    : AGENT_PROFILES;
  const config = getConfig();
  return await listSessions(
    profiles.map((profile) => backendContext(profile, config)),
  );
}
