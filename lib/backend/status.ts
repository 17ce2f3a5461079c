/**
 * What `status` and `list` report: one session's facts from its record, its
 * pane and its flags; orphan windows listed beside the known sessions.
 *
 * @module
 */
import { isJobDone, isJobFailed } from "../flags.ts";
import type { SessionRecord } from "../state.ts";
import type { SessionStatus } from "./contract.ts";
import { type BackendContext, paneOf } from "./context.ts";
import { orphanPanes } from "./lifecycle.ts";
import type { StateReading } from "../signals/state.ts";
import { stateOf } from "./turns.ts";

/**
 * The status of one session.
 *
 * @param ctx the backend
 * @param record the session
 */
export async function statusOf(
  ctx: BackendContext,
  record: SessionRecord,
): Promise<SessionStatus> {
  const reading = await stateOf(ctx, record).catch((): StateReading => ({
    state: "exited",
    reason: "its pane cannot be read",
  }));
  const alive = reading.state !== "exited" ||
    await paneOf(ctx, record).alive().catch(() => false);
  return {
    sessionId: record.sessionId,
    backend: ctx.name,
    agentSessionId: record.agentSessionId,
    jsonlPath: record.jsonlPath,
    cwd: record.cwd,
    flagRoot: record.flagRoot,
    model: record.model,
    displayName: record.displayName,
    startedAt: record.startedAt,
    lastPromptAt: record.lastPromptAt,
    windowId: record.windowId,
    paneId: record.paneId,
    state: reading.state,
    stateReason: reading.reason,
    ...(reading.dialog === undefined ? {} : { dialog: reading.dialog }),
    alive,
    working: reading.state === "working" ||
      reading.state === "awaiting_input",
    jobGoalAccomplished: await isJobDone(record.flagRoot, record.sessionId),
    failed: await isJobFailed(record.flagRoot, record.sessionId),
    orphan: false,
  };
}

/**
 * Every session of the backend, then the orphan windows of its hub.
 *
 * @param ctx the backend
 */
export async function listSessions(
  ctx: BackendContext,
): Promise<SessionStatus[]> {
  const records = (await ctx.store.list()).filter((r) =>
    r.backend === ctx.name
  );
  const rows = await Promise.all(records.map((r) => statusOf(ctx, r)));
  for (const pane of await orphanPanes(ctx, { records })) {
    rows.push({
      sessionId: pane.windowName,
      backend: ctx.name,
      agentSessionId: null,
      jsonlPath: null,
      cwd: null,
      flagRoot: null,
      model: null,
      displayName: null,
      startedAt: null,
      lastPromptAt: null,
      windowId: pane.windowId,
      paneId: pane.paneId,
      state: pane.paneDead ? "exited" : "starting",
      stateReason: "a window the state file does not know",
      alive: !pane.paneDead,
      working: false,
      jobGoalAccomplished: true,
      failed: false,
      orphan: true,
    });
  }
  return rows;
}
