/**
 * Every time limit of a backend, in one object.
 *
 * @module
 */

/**
 * Time limits of a backend, in milliseconds (and counts).
 *
 * @example
 * ```ts
 * import { type BackendTimings, get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const timings: BackendTimings = get(SUPPORTED_BACKENDS[0]).timings;
 * console.log(timings.readyTimeoutMs);
 * ```
 */
export interface BackendTimings {
  /** Start-up until the TUI is ready. */
  readyTimeoutMs: number;
  /** Minimum gap between two presses on the folder-trust dialog. */
  trustRepressMs: number;
  /** How often the folder-trust dialog may be answered during one start-up. */
  trustPresses: number;
  /** Wait for an input box (or a dialog) to show before a submission refuses. */
  inputWaitMs: number;
  /**
   * From this long after Enter, two looks that still find the prompt in the
   * input box mean the Enter was not taken (a TUI right after start-up can
   * take it before the paste): it is pressed again, sooner than
   * `landingWaitMs`. Doubles with each press (a slow TUI reads keys late);
   * after the last press the full `landingWaitMs` runs.
   */
  enterTakenMs: number;
  /**
   * `enterTakenMs` for a session's first prompt. A TUI right after
   * start-up may drop the Enter that follows the paste in most runs, and a
   * TUI that took an Enter has emptied its input box within tens of
   * milliseconds, so the first prompt is pressed again sooner.
   */
  firstEnterTakenMs: number;
  /**
   * After the input box first shows, how long to wait before the first key
   * (an agent may drop an Enter pressed right after its ready screen).
   */
  readySettleMs: number;
  /**
   * Between the paste and the key that submits it, a pause as a separate
   * write (an agent may leave the text in the box when Enter arrives in the
   * same write as the paste); 0: one tmux call for both.
   */
  submitGapMs: number;
  /** Wait for a prompt to show in the transcript before pressing Enter again. */
  landingWaitMs: number;
  /**
   * After the last press, how long a prompt that still sits in the input box
   * is waited for before the submission fails: a TUI on a loaded machine
   * (twenty agents starting at once) reads its keys seconds late. A prompt
   * that left the box is given `landingWaitMs`. Also how long a C-u that
   * changed nothing is given before the input box counts as not emptiable.
   */
  takeWaitMs: number;
  /**
   * After keys pressed at a dialog (the `keys` command), how long the TUI is
   * given to show it took them (the dialog closed or changed) before `keys`
   * returns anyway.
   */
  keysTakenMs: number;
  /**
   * After keys pressed with no dialog up, how long the TUI is given to show
   * them (its screen reads differently: the box's text, a turn running, a
   * mode with no input box) before `keys` returns anyway.
   */
  keysShownMs: number;
  /**
   * How long the new reading of the screen must hold before those keys
   * count as shown (a TUI passes through steps).
   */
  keysSettleMs: number;
  /**
   * Added to an agent's `dialogInputGuardMs` before a dialog is answered:
   * the agent starts its guard when it has drawn the dialog, a moment
   * after the pane shows it on a loaded machine.
   */
  inputGuardMarginMs: number;
  /** How often Enter may be pressed again for one prompt. */
  submitRetries: number;
  /** How many C-u presses may empty one input box. */
  clearPresses: number;
  /** Wait for an interruption to show. */
  interruptTimeoutMs: number;
  /**
   * After an interrupt, how long the agent must stay idle before the turn
   * counts as stopped, for an agent that starts its queued prompts by
   * itself a while after the interrupt (its hooks run first); 0: two idle
   * looks suffice.
   */
  interruptSettleMs: number;
  /** Press the interrupt keys again when a turn still runs after this long. */
  interruptRepressMs: number;
  /**
   * The pause between two interrupt keys: each is its own key event
   * (an agent may take two keys sent as one for another key).
   */
  interruptKeyGapMs: number;
  /** Wait for a free lock (per session, per cwd for first prompts). */
  lockTimeoutMs: number;
  /**
   * A tmux call that has not answered after this long is killed and fails:
   * a hung tmux never holds a session's lock longer.
   */
  tmuxCallMs: number;
  /** Screen polling interval. */
  pollMs: number;
  /** How often a turn wait reads the screen (signals wake it sooner). */
  turnPollMs: number;
  /**
   * How long a turn wait gives the transcript, once the screen has settled
   * idle, to record the end of the turn before saying it cannot tell.
   */
  transcriptGraceMs: number;
  /**
   * A git call (worktrees: add, diff, merge, remove) that has not answered
   * after this long is killed with the processes it started, and fails.
   */
  gitCallMs: number;
  /** A worktree's setup command (`--setup`) is killed, and fails, after this long. */
  setupMs: number;
  /** How long `notify --webhook` waits for one POST to be answered. */
  notifyPostMs: number;
  /** How often `notify` tries a failed delivery again. */
  notifyRetries: number;
  /** The first pause before a retry of `notify`; it doubles each time. */
  notifyBackoffMs: number;
  /** How long `notify --exec`'s command may run before it is killed. */
  notifyExecMs: number;
}

/**
 * Default {@linkcode BackendTimings}.
 *
 * @example
 * ```ts
 * import { AGENT_PROFILES } from "../agents/mod.ts";
 * import { configFromEnv } from "../config.ts";
 * import { TmuxAgentBackend } from "./backend.ts";
 * import { DEFAULT_TIMINGS } from "./timings.ts";
 * const backend = new TmuxAgentBackend(AGENT_PROFILES[0], configFromEnv(), {
 *   timings: { readyTimeoutMs: DEFAULT_TIMINGS.readyTimeoutMs * 2 },
 * });
 * ```
 */
export const DEFAULT_TIMINGS: BackendTimings = {
  readyTimeoutMs: 60_000,
  trustRepressMs: 1_000,
  trustPresses: 3,
  inputWaitMs: 3_000,
  enterTakenMs: 250,
  firstEnterTakenMs: 100,
  readySettleMs: 0,
  submitGapMs: 0,
  landingWaitMs: 4_000,
  takeWaitMs: 30_000,
  keysTakenMs: 4_000,
  keysShownMs: 2_000,
  keysSettleMs: 300,
  inputGuardMarginMs: 100,
  submitRetries: 3,
  clearPresses: 40,
  interruptTimeoutMs: 15_000,
  interruptSettleMs: 0,
  interruptRepressMs: 3_000,
  interruptKeyGapMs: 150,
  lockTimeoutMs: 120_000,
  tmuxCallMs: 20_000,
  pollMs: 100,
  turnPollMs: 250,
  transcriptGraceMs: 5_000,
  gitCallMs: 120_000,
  setupMs: 600_000,
  notifyPostMs: 10_000,
  notifyRetries: 4,
  notifyBackoffMs: 500,
  notifyExecMs: 30_000,
};
