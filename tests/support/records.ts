/**
 * Session records for tests that need a session in the state file but no
 * window behind it.
 *
 * @module
 */
import type { SessionRecord } from "../../lib/state.ts";

/**
 * A record of session `sessionId` of `backend`, its directories `dir`, with
 * no transcript and no live window.
 *
 * @param sessionId session id
 * @param backend backend name
 * @param dir its working directory and flag root
 */
export function bareRecord(
  sessionId: string,
  backend: string,
  dir: string,
): SessionRecord {
  return {
    sessionId,
    backend,
    agentSessionId: null,
    jsonlPath: null,
    cwd: dir,
    flagRoot: dir,
    model: null,
    useProxy: false,
    displayName: null,
    tmuxSocket: "",
    hubId: "$0",
    windowId: "@0",
    paneId: "%0",
    panePid: 0,
    startedAt: new Date(0).toISOString(),
    lastPromptAt: null,
    extra: {},
  };
}
