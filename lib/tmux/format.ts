/**
 * The `-F` formats aimax asks tmux for, and their parsing: one pane per
 * line, fields separated by a control character that tmux never prints in
 * a name (it shows one as `\037`).
 *
 * @module
 */

/**
 * One pane as tmux reports it.
 *
 * @example
 * ```ts
 * import { TmuxClient } from "./client.ts";
 * const panes = await new TmuxClient().listPanes();
 * for (const pane of panes) console.log(pane.paneId, pane.windowName, pane.paneDead);
 * ```
 */
export interface PaneInfo {
  /** Session id, `$N`. */
  sessionId: string;
  /** Session name. */
  sessionName: string;
  /** Window id, `@N`. */
  windowId: string;
  /** Window name. */
  windowName: string;
  /** Pane id, `%N`. */
  paneId: string;
  /** The pid of the pane's first process. */
  panePid: number;
  /** Whether that process has exited (the pane stays with remain-on-exit). */
  paneDead: boolean;
  /** Exit status of a dead pane. */
  paneDeadStatus: number | undefined;
  /** The pane's current command. */
  currentCommand: string;
}

/** Separates the fields of one line of a format aimax asks for. */
export const SEP = "\u001f";
/** The facts of one pane, {@linkcode parsePane}'s input. */
export const PANE_FORMAT = [
  "#{session_id}",
  "#{window_id}",
  "#{pane_id}",
  "#{pane_pid}",
  "#{pane_dead}",
  "#{pane_dead_status}",
  "#{pane_current_command}",
  "#{session_name}",
  "#{window_name}",
].join(SEP);

/**
 * One line of {@linkcode PANE_FORMAT}.
 *
 * @param line the line, without its newline
 */
export function parsePane(line: string): PaneInfo {
  const [
    sessionId,
    windowId,
    paneId,
    pid,
    dead,
    deadStatus,
    currentCommand,
    sessionName,
    ...rest
  ] = line.split(SEP);
  return {
    sessionId,
    windowId,
    paneId,
    panePid: Number(pid),
    paneDead: dead === "1",
    paneDeadStatus: deadStatus === "" || deadStatus === undefined
      ? undefined
      : Number(deadStatus),
    currentCommand: currentCommand ?? "",
    sessionName: sessionName ?? "",
    windowName: rest.join(SEP),
  };
}

/**
 * Every line of {@linkcode PANE_FORMAT} output.
 *
 * @param text tmux's output
 */
export function parsePanes(text: string): PaneInfo[] {
  return text.split("\n").filter((l) => l !== "").map(parsePane);
}

/**
 * Lines of history read with a dead pane's screen: tmux writes its "Pane is
 * dead (…)" line with a line feed on the bottom row, which scrolls the
 * screen's first line (often a program's only complaint) into the history.
 */
export const DEAD_PANE_HISTORY = 50;

/**
 * A dead pane's text without tmux's own "Pane is dead (…)" line and the
 * blank lines before it: what the program left.
 *
 * @example
 * ```ts
 * import { withoutDeadBanner } from "./format.ts";
 * withoutDeadBanner("boom\n\n\nPane is dead (status 3, …)\n"); // "boom"
 * ```
 * @param text a dead pane's captured text
 */
export function withoutDeadBanner(text: string): string {
  return text.replace(/\s*^Pane is dead \(.*\)\s*$/m, "");
}
