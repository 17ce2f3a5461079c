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
 * import { AGENT_PROFILES } from "../agents/mod.ts";
 * declare const screen: string; // a capture of the agent's pane
 * const state = AGENT_PROFILES[0].readScreen(screen);
 * if (state.kind === "dialog") console.log(state.purpose); // e.g. "trust"
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
    /** What it asks about: the command, the file (when the agent shows one). */
    asks?: string;
    /** Its choices as the agent offers them, in order (when they are read). */
    choices?: DialogChoice[];
  };

/**
 * What a dialog's choice does, in aimax's words: `yes` (go ahead once),
 * `always` (go ahead and do not ask again for the like), `no` (refuse; the
 * agent then waits for what to do instead), `other`.
 *
 * @example
 * ```ts
 * import type { ChoiceKind } from "./screen.ts";
 * const kind: ChoiceKind = "always";
 * ```
 */
export type ChoiceKind = "yes" | "always" | "no" | "other";

/**
 * One choice of a dialog as the agent offers it: its words, what it does,
 * whether it is the one selected now, and the keys that pick it from the
 * screen it was read on (the agent's own shortcut, or the arrows to it and
 * Enter).
 *
 * @example
 * ```ts
 * import type { DialogChoice } from "./screen.ts";
 * const yes: DialogChoice = { label: "Yes", kind: "yes", selected: true, keys: ["Enter"] };
 * ```
 */
export interface DialogChoice {
  /** The agent's words, e.g. `Yes, and don't ask again for …`. */
  label: string;
  /** What it does. */
  kind: ChoiceKind;
  /** It is the one selected now. */
  selected: boolean;
  /** tmux keys that pick it. */
  keys: string[];
}

/**
 * What a choice's words say it does: `Yes, and …` / `Yes, allow all …` is
 * `always`, `Yes …` `yes`, `No …` `no`, anything else `other`.
 *
 * @example
 * ```ts
 * import { choiceKind } from "./screen.ts";
 * choiceKind("Yes, and don't ask again for this command"); // "always"
 * choiceKind("No, and tell the agent what to do differently"); // "no"
 * ```
 * @param label the choice's words
 */
export function choiceKind(label: string): ChoiceKind {
  if (/^Yes,? (and|allow|always|don't)/i.test(label)) return "always";
  if (/^Yes\b/i.test(label)) return "yes";
  if (/^No\b/i.test(label)) return "no";
  return "other";
}

/**
 * The numbered choices of a dialog (`❯ 1. Yes`, `› 2. No (esc)`): each
 * line that starts (after the selection mark `mark`) with `N.`; the keys
 * that pick one are the arrows from the selected one to it and Enter, or
 * the agent's own shortcut when `shortcut` reads one from the words.
 *
 * @example
 * ```ts
 * import { numberedChoices } from "./screen.ts";
 * numberedChoices(["❯ 1. Yes", "  2. No"], { mark: "❯" }).map((c) => c.keys);
 * // [["Enter"], ["Down", "Enter"]]
 * ```
 * @param lines the dialog's lines
 * @param options `mark`: the selection mark; `shortcut`: splits words into
 * a label and the key that picks it
 */
export function numberedChoices(
  lines: readonly string[],
  options: {
    mark: string;
    shortcut?: (words: string) => { label: string; key?: string };
  },
): DialogChoice[] {
  const found: { label: string; selected: boolean; key?: string }[] = [];
  for (const line of lines) {
    const t = line.trim();
    const selected = t.startsWith(options.mark);
    const m = /^(\d+)\.\s+(.+)$/.exec(
      selected ? t.slice(options.mark.length).trim() : t,
    );
    if (!m || Number(m[1]) !== found.length + 1) continue;
    const split = options.shortcut?.(m[2].trim()) ?? { label: m[2].trim() };
    found.push({ selected, ...split });
  }
  const at = found.findIndex((c) => c.selected);
  return found.map((c, i) => ({
    label: c.label,
    kind: choiceKind(c.label),
    selected: c.selected,
    keys: c.key ? [c.key] : at < 0 ? [] : [
      ...Array(Math.abs(i - at)).fill(i > at ? "Down" : "Up"),
      "Enter",
    ],
  }));
}

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
