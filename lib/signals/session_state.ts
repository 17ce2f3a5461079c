/**
 * A session's state as a value: `starting`, `idle`, `working`,
 * `awaiting_input` or `exited`, derived from the agent's own signals (its
 * hooks and calls, in the events file, as its profile translates them)
 * first, the pane (alive or
 * dead) and the transcript second, and the screen last: the screen is what
 * shows a dialog and what it asks, and checks a signal that went stale (a
 * turn interrupted with Escape may signal no turn end).
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

/**
 * One line of a session's events file, as the agent's hook or notify call
 * wrote it: raw, in the agent's own spelling. Only the agent's profile reads
 * its name and payload (`AgentProfile.signal`); aimax reads the
 * {@linkcode AgentSignal} it makes of it.
 */
export interface SignalEvent {
  /** When the hook ran (ms since epoch). */
  at: number;
  /** The agent's name for the event (a hook's name, or `notify`). */
  event: string;
  /** What the agent passed to the hook. */
  payload: Record<string, unknown> | null;
}

/**
 * What an agent's signal means, in aimax's own words: each agent's profile
 * translates its raw events ({@linkcode SignalEvent}) into these, and state,
 * turns and waits work on these only.
 *
 * - `session_started`: the agent is up and idle.
 * - `turn_started`: a turn took `prompt`.
 * - `turn_ended`: a turn ended, with its final `answer`, its `turnId`, and
 *   the `prompts` it answered when the agent names them at the end.
 * - `tool_asked`, `tool_ran`: a tool is about to run, or ran (working).
 * - `permission_asked`: a dialog asks for a permission.
 * - `session_ended`: the agent's session ended (it exits).
 *
 * @example
 * ```ts
 * import type { AgentSignal } from "./session_state.ts";
 * const end: AgentSignal = { kind: "turn_ended", answer: "4" };
 * ```
 */
export type AgentSignal =
  | { kind: "session_started" }
  | { kind: "turn_started"; prompt?: string }
  | {
    kind: "turn_ended";
    answer?: string;
    turnId?: string;
    prompts?: readonly string[];
  }
  | { kind: "tool_asked" }
  | { kind: "tool_ran" }
  | { kind: "permission_asked" }
  | { kind: "session_ended" };

/**
 * A raw signal with what it means: `raw` as written, `said` as its agent's
 * profile translated it.
 *
 * @example
 * ```ts
 * import type { HeardSignal } from "./session_state.ts";
 * const heard: HeardSignal = {
 *   raw: { at: 0, event: "end", payload: {} },
 *   said: { kind: "turn_ended" },
 * };
 * ```
 */
export interface HeardSignal {
  /** The events-file line. */
  raw: SignalEvent;
  /** What it means. */
  said: AgentSignal;
}

/**
 * What a signal says about the turn: `working`, `idle`, `awaiting_input` or
 * `exited`.
 *
 * @example
 * ```ts
 * import { signalState } from "./session_state.ts";
 * signalState({ kind: "turn_ended" }); // "idle"
 * ```
 * @param said a translated signal
 */
export function signalState(said: AgentSignal): SessionState {
  switch (said.kind) {
    case "session_started":
    case "turn_ended":
      return "idle";
    case "turn_started":
    case "tool_asked":
    case "tool_ran":
      return "working";
    case "permission_asked":
      return "awaiting_input";
    case "session_ended":
      return "exited";
  }
}

/**
 * The prompts a signal names: the one a turn starts with, or those of the
 * turn that ended when the agent names them at the end. Empty for other
 * signals.
 *
 * @example
 * ```ts
 * import { signalPrompts } from "./session_state.ts";
 * signalPrompts({ kind: "turn_started", prompt: "hi" }); // ["hi"]
 * ```
 * @param said a translated signal
 */
export function signalPrompts(said: AgentSignal): string[] {
  if (said.kind === "turn_started") {
    return said.prompt === undefined ? [] : [said.prompt];
  }
  if (said.kind === "turn_ended") return [...(said.prompts ?? [])];
  return [];
}

/**
 * The end of the turn a prompt started, from a session's signals in the
 * order they were written: the first turn end at or after the first signal
 * (not before `since`) that names the prompt. Some agents name it when the
 * turn starts, others when it ends. A prompt queued behind a running turn
 * is thus not answered by that turn's end.
 *
 * @example
 * ```ts
 * import { promptTurnEnd } from "./session_state.ts";
 * const at = (at: number) => ({ at, event: "e", payload: null });
 * const end = promptTurnEnd([
 *   { raw: at(1), said: { kind: "turn_ended", answer: "a" } },
 *   { raw: at(2), said: { kind: "turn_started", prompt: "b" } },
 *   { raw: at(3), said: { kind: "turn_ended", answer: "ack: b" } },
 * ], { prompt: "b", since: 0 });
 * console.log(end?.raw.at); // 3
 * ```
 * @param signals translated signals, oldest first
 * @param options the prompt and the time it was sent
 */
export function promptTurnEnd(
  signals: readonly HeardSignal[],
  options: { prompt: string; since: number },
): HeardSignal | undefined {
  const want = comparableText(options.prompt);
  let named = false;
  for (const heard of signals) {
    if (heard.raw.at < options.since) continue;
    named ||= signalPrompts(heard.said).some((p) => comparableText(p) === want);
    if (named && heard.said.kind === "turn_ended") return heard;
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
    return { state: "exited", reason: last.signal.event, signal: last.signal };
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
  // new turn (some agents signal only turn ends).
  return input.working
    ? {
      state: "working",
      reason: `the screen shows a running turn after ${last.signal.event}`,
      signal: last.signal,
    }
    : { state: "idle", reason: last.signal.event, signal: last.signal };
}
