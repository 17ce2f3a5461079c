/**
 * What a pane shows, as every agent's screen reader reports it: the input
 * box, a dialog, or neither yet.
 *
 * @module
 */

/**
 * Why a dialog (anything that is not the input box) is up.
 *
 * - `trust`: the folder-trust dialog at start-up, the one dialog aimax
 *   answers on purpose;
 * - `permission`: the agent asks a person to approve a tool call;
 * - `login`: the agent is not logged in or set up (start-up only);
 * - `other`: any other modal, menu or question.
 *
 * @example
 * ```ts
 * import type { DialogPurpose } from "./screen.ts";
 * const purpose: DialogPurpose = "permission";
 * ```
 */
export type DialogPurpose = "trust" | "permission" | "login" | "other";

/**
 * What a pane shows, read from one capture of its screen.
 *
 * - `starting`: neither an input box nor a known dialog (start-up, a redraw);
 * - `input`: the input box is up, so typing goes into it; `working` when a
 *   turn runs above it; `composer` is the text in the box (`""` when empty
 *   or showing only a placeholder hint);
 * - `dialog`: something else has the keyboard; `text` is what it asks (the
 *   command, the question), `hint` a remedy when aimax knows one.
 *
 * @example
 * ```ts
 * import { claudeProfile } from "./claude.ts";
 * const state = claudeProfile.readScreen("❯ 1. Yes, I trust this folder");
 * if (state.kind === "dialog") console.log(state.purpose); // "trust"
 * ```
 */
export type PaneState =
  | { kind: "starting" }
  | { kind: "input"; working: boolean; composer: string }
  | {
    kind: "dialog";
    purpose: DialogPurpose;
    text: string;
    hint?: string;
  };

/**
 * A dialog's text as the agents' screen readers report it: its lines from
 * `start` to the first line at or after it that matches `end` (the key
 * hints, "… to cancel"), or to the screen's end; each line trimmed, blank
 * ones left out. Each agent finds where its dialogs start.
 *
 * @example
 * ```ts
 * import { dialogText } from "./screen.ts";
 * dialogText(["", " Run ls? ", "", " 1. Yes", " Esc to cancel", "> "], {
 *   start: 1,
 *   end: /to cancel/,
 * }); // "Run ls?\n1. Yes\nEsc to cancel"
 * ```
 * @param lines the screen's lines
 * @param options where the dialog starts, what its last line matches
 */
export function dialogText(
  lines: readonly string[],
  options: { start: number; end: RegExp },
): string {
  const { start } = options;
  let end = lines.findIndex((l, i) => i >= start && options.end.test(l));
  if (end < 0) end = lines.length - 1;
  return lines.slice(start, end + 1).map((l) => l.trim()).filter((l) =>
    l !== ""
  ).join("\n");
}
