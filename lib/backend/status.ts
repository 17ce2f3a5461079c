/**
 * What `status` and `list` report: one session's facts from its record, one
 * look at its pane and its flags; orphan windows listed beside the known
 * sessions. `status` costs one tmux call; `list` one per tmux server,
 * whatever the number of sessions (`list-panes -a` chained with the
 * captures; two when a session's pane is gone).
 *
 * @module
 */
import { hasRules } from "../rules.ts";
import { isJobDone, isJobFailed } from "../flags.ts";
import type { SessionRecord, SessionWorktree } from "../state.ts";
import type { PaneInfo } from "../tmux/mod.ts";
import type { SessionStatus } from "./contract.ts";
import { type BackendContext, HUB_WINDOW, paneOf, tmuxOf } from "./context.ts";
import { type PaneView, viewFromBatch } from "./pane.ts";
import type { StateReading } from "../signals/session_state.ts";
import { exitedReading, stateFrom } from "./turns.ts";

/**
 * The status of one session.
 *
 * @param ctx the backend
 * @param record the session
 * @param options `view`: a look at its pane already taken (a batch)
 */
export async function statusOf(
  ctx: BackendContext,
  record: SessionRecord,
  options: { view?: PaneView } = {},
): Promise<SessionStatus> {
  const pane = paneOf(ctx, record);
  const view = options.view ?? await pane.view().catch(() => undefined);
  const reading = await stateFrom(ctx, record, {
    view,
    working: (state) => pane.working(state),
  });
  return {
    sessionId: record.sessionId,
    backend: ctx.name,
    agentSessionId: record.agentSessionId,
    jsonlPath: record.jsonlPath,
    cwd: record.cwd,
    flagRoot: record.flagRoot,
    model: record.model,
    permission: record.permission ?? null,
    agentArgs: record.agentArgs ?? [],
    ...(hasRules(record.rules) ? { rules: record.rules } : {}),
    displayName: record.displayName,
    startedAt: record.startedAt,
    lastPromptAt: record.lastPromptAt,
    windowId: record.windowId,
    paneId: record.paneId,
    state: reading.state,
    stateReason: reading.reason,
    ...(reading.dialog === undefined ? {} : { dialog: reading.dialog }),
    ...(reading.dialogInfo ? { dialogInfo: reading.dialogInfo } : {}),
    alive: view?.alive ?? false,
    working: reading.state === "working" ||
      reading.state === "awaiting_input",
    jobGoalAccomplished: await isJobDone(record.flagRoot, record.sessionId),
    failed: await isJobFailed(record.flagRoot, record.sessionId),
    orphan: false,
    ...(record.worktree
      ? {
        worktree: {
          ...record.worktree,
          changes: await worktreeChanges(ctx, record.worktree),
        },
      }
      : {}),
  };
}

/** One session of one backend. */
interface Entry {
  ctx: BackendContext;
  record: SessionRecord;
}

/** What one batch saw: every server's panes, and the screens it captured. */
interface Batch {
  panes(ctx: BackendContext, socket: string): Promise<PaneInfo[]>;
  /** The session's pane (if listed) and its screen (if captured). */
  shot(entry: Entry): Promise<{ pane?: PaneInfo; screen?: string }>;
}

/**
 * Looks at many sessions at once: per tmux server, one `list-panes -a`
 * chained with the captures of the panes `capture` picks.
 */
function lookAt(
  entries: readonly Entry[],
  capture: (record: SessionRecord) => boolean,
): Batch {
  const servers = new Map<
    string,
    Promise<{ panes: PaneInfo[]; screens: Map<string, string> }>
  >();
  const server = (ctx: BackendContext, socket: string) => {
    let got = servers.get(socket);
    if (!got) {
      got = (async () => {
        const wanted = entries.filter((e) =>
          e.record.tmuxSocket === socket && capture(e.record)
        ).map((e) => e.record.paneId);
        const { panes, screens } = await tmuxOf(ctx, socket).panesWithText(
          wanted,
        );
        // A dead pane's last screen says nothing about its state.
        for (const pane of panes) {
          if (pane.paneDead) screens.delete(pane.paneId);
        }
        return { panes, screens };
      })();
      servers.set(socket, got);
    }
    return got;
  };
  return {
    panes: async (ctx, socket) => (await server(ctx, socket)).panes,
    async shot({ ctx, record }) {
      const { panes, screens } = await server(ctx, record.tmuxSocket);
      return {
        pane: panes.find((p) => p.paneId === record.paneId),
        screen: screens.get(record.paneId),
      };
    },
  };
}

/**
 * The short change count of a worktree (`+12 −3, 2 files`), or
 * `undefined` when it cannot be read (its folder gone).
 *
 * @param ctx the backend
 * @param worktree the session's worktree
 */
async function worktreeChanges(
  ctx: BackendContext,
  worktree: SessionWorktree,
): Promise<string | undefined> {
  // Loaded here, not at the top: a listing without worktrees loads no git
  // code (what `aimax list` starts with is measured in `deno task bench`).
  const { worktreeDiff } = await import("../worktree/diff.ts");
  return await worktreeDiff(worktree.path, worktree.baseCommit, {
    timeoutMs: ctx.timings.gitCallMs,
    maxBytes: 0,
  }).then((d) => d.shortStat, () => undefined);
}

/**
 * Every session of the given backends, then the orphan windows of their
 * hubs, from one tmux call per server (`list-panes -a` and the captures).
 *
 * @param ctxs the backends
 */
export async function listSessions(
  ctxs: readonly BackendContext[],
): Promise<SessionStatus[]> {
  // One read of the state file per data dir, shared by its backends.
  const reads = new Map<string, Promise<SessionRecord[]>>();
  const perCtx: { ctx: BackendContext; records: SessionRecord[] }[] = [];
  for (const ctx of ctxs) {
    let read = reads.get(ctx.config.dataDir);
    if (!read) {
      read = ctx.store.list();
      reads.set(ctx.config.dataDir, read);
    }
    perCtx.push({
      ctx,
      records: (await read).filter((r) => r.backend === ctx.name),
    });
  }
  const batch = lookAt(
    perCtx.flatMap(({ ctx, records }) =>
      records.map((record) => ({ ctx, record }))
    ),
    () => true,
  );
  const rows: SessionStatus[] = [];
  for (const { ctx, records } of perCtx) {
    // Each status reads a few small files (signals, flags, the transcript's
    // end): all sessions at once, not one after another.
    rows.push(
      ...await Promise.all(records.map(async (record) => {
        const view = viewFromBatch(record, {
          profile: ctx.profile,
          ...await batch.shot({ ctx, record }),
        });
        return await statusOf(ctx, record, { view });
      })),
    );
    const panes = await batch.panes(ctx, ctx.config.tmuxSocket);
    const known = new Set(records.map((r) => r.windowId));
    const hub = ctx.profile.hub(ctx.config);
    for (const pane of panes) {
      if (
        pane.sessionName !== hub || known.has(pane.windowId) ||
        pane.windowName === HUB_WINDOW
      ) continue;
      rows.push(orphanRow(ctx, pane));
    }
  }
  return rows;
}

/**
 * The states of many sessions at once (for followers such as `aimax
 * events`): per tmux server, one `list-panes -a` chained with the captures
 * of the panes `look` picks. A session whose pane is gone or dead is `exited`;
 * a live one not looked at is `undefined` (its state is not read).
 *
 * @param entries the sessions, each with its backend
 * @param look which live sessions' screens to read
 */
export async function readStates(
  entries: readonly Entry[],
  look: (record: SessionRecord) => boolean,
): Promise<(StateReading | undefined)[]> {
  const batch = lookAt(entries, look);
  return await Promise.all(entries.map(async (entry) => {
    const { ctx, record } = entry;
    const shot = await batch.shot(entry);
    const view = viewFromBatch(record, { profile: ctx.profile, ...shot });
    if (!view.alive) return exitedReading(record);
    if (shot.screen === undefined) return undefined;
    return await stateFrom(ctx, record, {
      view,
      working: (state) => paneOf(ctx, record).working(state),
    });
  }));
}

function orphanRow(ctx: BackendContext, pane: PaneInfo): SessionStatus {
  return {
    sessionId: pane.windowName,
    backend: ctx.name,
    agentSessionId: null,
    jsonlPath: null,
    cwd: null,
    flagRoot: null,
    model: null,
    permission: null,
    agentArgs: [],
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
  };
}
