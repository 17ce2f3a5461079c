/**
 * Sessions as a table (`aimax list`, `aimax status`): one row per session,
 * with its agent's short name, its state (coloured where it means
 * something), its job, relative times and its directory with `~`.
 *
 * @module
 */
import type { SessionStatus } from "../backend/contract.ts";
import { tildePath } from "./path.ts";
import { type Cell, type Column, renderTable, type Style } from "./table.ts";
import { relativeTime } from "./time.ts";

/**
 * Options of {@linkcode statusTable}.
 *
 * @example
 * ```ts
 * import type { StatusTableOptions } from "./status.ts";
 * const options: StatusTableOptions = { width: 100, home: "/home/ada" };
 * ```
 */
export interface StatusTableOptions {
  /** The terminal's width; none: nothing is cut. */
  readonly width?: number;
  /** Every cell whole. */
  readonly wide?: boolean;
  /** Colour the state and the job. */
  readonly color?: boolean;
  /** The home directory, written `~`. */
  readonly home?: string;
  /** Now, in ms since epoch (default: the clock). */
  readonly now?: number;
  /** The short name of a backend's agent (default: the backend's name). */
  readonly agentName?: (backend: string) => string;
}

const STATE_STYLES: Record<string, Style | undefined> = {
  working: "yellow",
  awaiting_input: "red",
  exited: "dim",
  starting: "dim",
};

/**
 * A session's state as a cell: `orphan` for a window the state file does
 * not know, else the state (`awaiting input` with a space), styled.
 *
 * @example
 * ```ts ignore
 * import { stateCell } from "./status.ts";
 * stateCell(status); // { text: "working", style: "yellow" }
 * ```
 * @param s the status
 */
export function stateCell(s: SessionStatus): Cell {
  if (s.orphan) return { text: "orphan", style: "red" };
  return { text: s.state.replace(/_/g, " "), style: STATE_STYLES[s.state] };
}

function jobCell(s: SessionStatus): Cell {
  if (s.failed) return { text: "failed", style: "red" };
  return s.jobGoalAccomplished ? { text: "done" } : { text: "running" };
}

/** A session's `BRANCH` and `CHANGES` cells (empty without a worktree). */
function worktreeCells(s: SessionStatus): string[] {
  if (!s.worktree) return ["", ""];
  const changes = s.worktree.changes;
  return [
    String(s.worktree.branch ?? ""),
    typeof changes === "string" ? changes : "-",
  ];
}

/**
 * The table of sessions: `SESSION AGENT STATE JOB STARTED LAST PROMPT CWD`
 * (and `NAME` when a session has a display name; `BRANCH` and `CHANGES`,
 * the short change count, when a session has its own worktree), header
 * first.
 *
 * @example
 * ```ts ignore
 * import { statusTable } from "./status.ts";
 * for (const line of statusTable(await backend.listSessions(), { width: 80 })) {
 *   console.log(line);
 * }
 * ```
 * @param rows the sessions
 * @param options width, `wide`, colour, home, now and agent names
 */
export function statusTable(
  rows: readonly SessionStatus[],
  options: StatusTableOptions = {},
): string[] {
  const named = rows.some((s) => s.displayName);
  const branched = rows.some((s) => s.worktree);
  const columns: Column[] = [
    { header: "SESSION", shrink: true },
    { header: "AGENT" },
    { header: "STATE" },
    { header: "JOB" },
    { header: "STARTED" },
    { header: "LAST PROMPT" },
    ...(named ? [{ header: "NAME", shrink: true }] : []),
    ...(branched
      ? [{ header: "BRANCH", shrink: true }, { header: "CHANGES" }]
      : []),
    { header: "CWD", shrink: true },
  ];
  const agent = options.agentName ?? ((backend: string) => backend);
  const cells = rows.map((s) => [
    s.sessionId,
    agent(s.backend),
    stateCell(s),
    jobCell(s),
    relativeTime(s.startedAt, options),
    relativeTime(s.lastPromptAt, options),
    ...(named ? [s.displayName ?? ""] : []),
    ...(branched ? worktreeCells(s) : []),
    s.cwd ? tildePath(s.cwd, options) : "-",
  ]);
  return renderTable(columns, cells, options);
}
