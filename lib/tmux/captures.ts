/**
 * The text of many panes in one tmux invocation: per pane, a marker line
 * (`display-message`) and its `capture-pane`, chained. The marker starts
 * with a control character that a screen cannot hold (tmux drops it from
 * what a program prints).
 *
 * @module
 */
import { literal } from "./argv.ts";

/** Starts the line that comes before each pane's text. */
export const MARK = "\u001eaimax-pane ";

/**
 * One look at a pane: a `display-message` line in `format`, then the pane's
 * text, chained in one command (the id is passed as given).
 *
 * @param paneId pane id, `%N`
 * @param format the `-F` format of the first line
 */
export function lookArgs(paneId: string, format: string): string[] {
  return [
    "display-message",
    "-p",
    "-t",
    paneId,
    format,
    ";",
    "capture-pane",
    "-p",
    "-J",
    "-t",
    paneId,
  ];
}

/**
 * One chained command: a marker line, then the pane's text, per pane.
 *
 * @param paneIds pane ids, `%N`
 */
export function captureArgs(paneIds: readonly string[]): string[] {
  const args: string[] = [];
  for (const id of paneIds.map(literal)) {
    if (args.length > 0) args.push(";");
    args.push(...lookArgs(id, `${MARK}#{pane_id}`));
  }
  return args;
}

/**
 * The output of {@linkcode captureArgs}: each pane's text by pane id.
 *
 * @param stdout tmux's output, from the first marker line
 */
export function splitCaptures(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of stdout.split(MARK).slice(1)) {
    const nl = part.indexOf("\n");
    out.set(part.slice(0, nl), part.slice(nl + 1));
  }
  return out;
}
