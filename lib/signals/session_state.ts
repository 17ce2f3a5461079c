/**
 * A session's state as a value: `starting`, `idle`, `working`,
 * `awaiting_input` or `exited`, derived from the agent's own signals (its
 * hooks and notify calls, in the events file) first, the pane (alive or
 * dead) and the transcript second, and the screen last: the screen is what
 * shows a dialog and what it asks, and checks a signal that went stale (a
 * turn interrupted with Escape fires no `Stop`).
 *
 * @module
 */
import type { DialogChoice, DialogPurpose, PaneState } from "./screen.ts";

/**
 * What a session is doing.
 *
 * @example
 * ```ts
 * import type { SessionState } from "@aimax/cli";
 * const waiting: SessionState = "awaiting_input";
 * ```
 */
export type SessionState =
  | "starting"
  | "idle"
  | "working"
  | "awaiting_input"
  | "exited";

/** One line of a session's events file, as the hook wrote it. */
export interface SignalEvent {
  /** When the hook ran (ms since epoch). */
  at: number;
  /** The hook's event name (`Stop`, `UserPromptSubmit`, …, or `notify`). */
  event: string;
  /** What the agent passed to the hook. */
  payload: Record<string, unknown> | null;
}

/**
 * What a signal says about the turn: `working`, `idle`, `awaiting_input`,
 * `exited`, or `undefined` for a signal that says nothing about it (or one
 * for another thread, e.g. Codex's title generation).
 *
 * @example
 * ```ts
 * import { signalState } from "./session_state.ts";
 * signalState({ at: 0, event: "Stop", payload: {} }); // "idle"
 * ```
 * @param signal one events-file line
 * @param options `threadId`: the session's agent conversation (Codex
 * notify calls for other threads are ignored)
 */
export function signalState(
  signal: SignalEvent,
  options: { threadId?: string | null } = {},
): SessionState | undefined {
  switch (signal.event) {
    case "SessionStart":
    case "Stop":
      return "idle";
    case "UserPromptSubmit":
    case "PreToolUse":
    case "PostToolUse":
      return "working";
    case "PermissionRequest":
      return "awaiting_input";
    case "SessionEnd":
      return "exited";
    case "notify": {
      const p = signal.payload ?? {};
      if (p.type !== "agent-turn-complete") return undefined;
      if (!options.threadId || p["thread-id"] !== options.threadId) {
        return undefined;
      }
      return "idle";
    }
    default:
      return undefined;
  }
}

/**
 * The prompts a signal names: the one a turn starts with (`UserPromptSubmit`
 * `prompt`), or those of the turn that ended (Codex `notify`
 * `input-messages`). Empty for other signals.
 *
 * @example
 * ```ts
 * import { signalPrompts } from "./session_state.ts";
 * signalPrompts({ at: 0, event: "UserPromptSubmit", payload: { prompt: "hi" } });
 * // ["hi"]
 * ```
 * @param signal one events-file line
 */
export function signalPrompts(signal: SignalEvent): string[] {
  const p = signal.payload ?? {};
  if (signal.event === "UserPromptSubmit") {
    return typeof p.prompt === "string" ? [p.prompt] : [];
  }
  if (signal.event === "notify" && Array.isArray(p["input-messages"])) {
    return p["input-messages"].filter((m) => typeof m === "string");
  }
  return [];
}

/**
 * The end of the turn a prompt started, from a session's signals in the
 * order they were written: the first turn end at or after the first signal
 * (not before `since`) that names the prompt. Claude Code names it when the
 * turn starts (`UserPromptSubmit`), Codex when it ends (`notify`). A prompt
 * queued behind a running turn is thus not answered by that turn's end.
 *
 * @example
 * ```ts
 * import { promptTurnEnd } from "./session_state.ts";
 * const end = promptTurnEnd([
 *   { at: 1, event: "Stop", payload: { last_assistant_message: "a" } },
 *   { at: 2, event: "UserPromptSubmit", payload: { prompt: "b" } },
 *   { at: 3, event: "Stop", payload: { last_assistant_message: "ack: b" } },
 * ], { prompt: "b", since: 0 });
 * console.log(end?.at); // 3
 * ```
 * @param signals events-file lines, oldest first
 * @param options the prompt, the time it was sent, the session's thread
 */
export function promptTurnEnd(
  signals: readonly SignalEvent[],
  options: { prompt: string; since: number; threadId?: string | null },
): SignalEvent | undefined {
  const want = comparableText(options.prompt);
  let named = false;
  for (const signal of signals) {
    // Signals about no turn of this session (another Codex thread's) are
    // skipped, the prompts they name too.
    const state = signalState(signal, { threadId: options.threadId });
    if (signal.at < options.since || state === undefined) continue;
    named ||= signalPrompts(signal).some((p) => comparableText(p) === want);
    if (named && state === "idle" && signal.event !== "SessionStart") {
      return signal;
    }
  }
  return undefined;
}

/**
 * Text as compared between a prompt or answer and the agent's record of it:
 * without regard to line endings, tabs or runs of spaces.
 *
 * @example
 * ```ts
 * import { comparableText } from "./session_state.ts";
 * comparableText(" a\r\n\tb "); // "a b"
 * ```
 * @param text a prompt or answer
 */
export function comparableText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A state and why. */
export interface StateReading {
  /** The state. */
  state: SessionState;
  /** Why, in a few words (for people and logs). */
  reason: string;
  /** What a dialog asks, when awaiting input. */
  dialog?: string;
  /** The dialog's id, purpose and choices, when awaiting input. */
  dialogInfo?: DialogInfo;
  /** The signal it rests on, if any. */
  signal?: SignalEvent;
}

/**
 * A dialog a session shows, as `approve` and `deny` name it: its id
 * (stable while it is up; the next dialog gets a new one, even with the
 * same text), why it is up, what it asks about and its choices as the
 * agent offers them.
 *
 * @example
 * ```ts
 * import type { DialogInfo } from "@aimax/cli";
 * const info: DialogInfo = {
 *   id: "3f9a1c0e.mi4x2k1a",
 *   purpose: "permission",
 *   asks: "npm test",
 *   choices: [{ label: "Yes", kind: "yes", selected: true, keys: ["Enter"] }],
 * };
 * ```
 */
export interface DialogInfo {
  /** Its id (`approve --dialog ID`). */
  id: string;
  /** Why it is up. */
  purpose: DialogPurpose;
  /** What it asks about (the command, the file), when the agent shows it. */
  asks?: string;
  /** Its choices, in order (none when aimax cannot read them). */
  choices: DialogChoice[];
}

/** How long a signal is trusted against a screen that disagrees. */
export const SIGNAL_FRESH_MS = 2_000;

/**
 * Derives the state from what is known now.
 *
 * @example
 * ```ts
 * import { deriveState } from "./session_state.ts";
 * const reading = deriveState({
 *   alive: true,
 *   pane: { kind: "input", working: false, composer: "" },
 *   working: false,
 *   now: Date.now(),
 * });
 * console.log(reading.state); // "idle"
 * ```
 * @param input `alive` (the agent process runs), `pane` (the screen's
 * reading), `working` (screen or transcript shows a running turn), `last`
 * (the latest signal about the turn), `now`
 */
export function deriveState(input: {
  alive: boolean;
  pane: PaneState;
  working: boolean;
  last?: { signal: SignalEvent; state: SessionState };
  now: number;
}): StateReading {
  const { pane, last } = input;
  if (!input.alive) return { state: "exited", reason: "the agent exited" };
  if (pane.kind === "dialog") {
    return pane.purpose === "trust"
      ? { state: "starting", reason: "the folder-trust dialog" }
      : {
        state: "awaiting_input",
        reason: pane.purpose === "permission"
          ? "a permission dialog"
          : "a dialog",
        dialog: pane.text,
      };
  }
  if (last?.state === "exited") {
    return { state: "exited", reason: "SessionEnd", signal: last.signal };
  }
  if (!last) {
    if (pane.kind === "starting") {
      return { state: "starting", reason: "no input box yet" };
    }
    return input.working
      ? { state: "working", reason: "the screen shows a running turn" }
      : { state: "idle", reason: "the input box is up" };
  }
  const fresh = input.now - last.signal.at < SIGNAL_FRESH_MS;
  const says = last.state === "awaiting_input" ? "working" : last.state;
  if (says === "working") {
    return fresh || input.working
      ? { state: "working", reason: last.signal.event, signal: last.signal }
      : {
        state: "idle",
        reason: `the screen shows no running turn after ${last.signal.event}`,
        signal: last.signal,
      };
  }
  // After a turn end, a running turn on screen or in the transcript is a
  // new turn (Codex signals only turn ends).
  return input.working
    ? {
      state: "working",
      reason: `the screen shows a running turn after ${last.signal.event}`,
      signal: last.signal,
    }
    : { state: "idle", reason: last.signal.event, signal: last.signal };
}
