/**
 * A driver over one agent pane: what it shows, emptying its input box,
 * typing into it, interrupting a turn. The only place that sends keys to an
 * agent after start-up, and it types only into an input box: a pane that
 * shows a dialog gets no key at all.
 *
 * @module
 */
import type { AgentProfile, PaneState } from "../agents/agent.ts";
import {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  NoInputBoxError,
} from "../errors.ts";
import { readJsonl } from "../jsonl/reader.ts";
import { pollUntil, sleep } from "../poll.ts";
import type { SessionRecord } from "../state.ts";
import type { PaneInfo, TmuxClient } from "../tmux/mod.ts";
import type { BackendTimings } from "./timings.ts";

/** The pane shows its input box. */
export type InputState = Extract<PaneState, { kind: "input" }>;

/** One look at the pane (one tmux call): is it alive, and what it shows. */
export interface PaneView {
  /** The agent process runs in the pane (the pane is ours and not dead). */
  alive: boolean;
  /** The pane is still there (alive, or dead but kept by remain-on-exit). */
  present: boolean;
  /** The captured text (`""` when the pane is gone). */
  screen: string;
  /** The profile's reading of it. */
  state: PaneState;
}

/**
 * A session's pane, checked to still be the session's own (pane ids restart
 * with a new tmux server).
 */
export class Pane {
  readonly #tmux: TmuxClient;
  readonly #record: SessionRecord;
  readonly #profile: AgentProfile;
  readonly #timings: BackendTimings;

  /**
   * Creates a driver.
   *
   * @param tmux a client on the session's server
   * @param record the session
   * @param options the agent and the time limits
   */
  constructor(
    tmux: TmuxClient,
    record: SessionRecord,
    options: { profile: AgentProfile; timings: BackendTimings },
  ) {
    this.#tmux = tmux;
    this.#record = record;
    this.#profile = options.profile;
    this.#timings = options.timings;
  }

  /** The pane's facts, or `undefined` when it is gone or no longer ours. */
  async info(): Promise<PaneInfo | undefined> {
    const pane = await this.#tmux.paneInfo(this.#record.paneId);
    if (
      !pane || pane.windowId !== this.#record.windowId ||
      pane.panePid !== this.#record.panePid
    ) return undefined;
    return pane;
  }

  /** Whether the agent process still runs in the pane. */
  async alive(): Promise<boolean> {
    const pane = await this.info();
    return pane !== undefined && !pane.paneDead;
  }

  /** The pane's visible text. */
  async screen(): Promise<string> {
    return await this.#tmux.paneText(this.#record.paneId);
  }

  /**
   * One look at the pane, in one tmux call: its facts and its screen, and
   * the profile's reading of the screen.
   */
  async view(): Promise<PaneView> {
    const shot = await this.#tmux.paneWithText(this.#record.paneId);
    return viewOf(this.#record, this.#profile, shot);
  }

  /**
   * Whether a turn runs: from the screen, and for agents whose screen does
   * not always show it, from the transcript.
   *
   * @param state a reading of the screen just taken
   */
  async working(state: PaneState): Promise<boolean> {
    if (state.kind === "input" && state.working) return true;
    const fromTranscript = this.#profile.transcriptWorking;
    if (!fromTranscript || !this.#record.jsonlPath) return false;
    // The last few records first: a turn's start or end is usually among
    // them (an idle session's last record is its turn's end), and a
    // transcript's records can be large (tool output, a 20 KiB
    // session header).
    for (const limit of [4, 32, 256]) {
      const { entries, truncated } = await readJsonl(this.#record.jsonlPath, {
        limit,
      });
      const said = fromTranscript(
        entries.map((e) => e.value),
        Date.parse(this.#record.startedAt),
      );
      if (said !== undefined) return said;
      if (!truncated) break; // the whole transcript was read
    }
    return false;
  }

  /**
   * Waits (up to `inputWaitMs`) for the input box. A dialog refuses at
   * once with {@linkcode AwaitingInputError}; a screen that is neither
   * refuses with {@linkcode AgentScreenError} when the wait ends.
   *
   * @param first a look just taken (counts as the first look)
   */
  async input(
    first?: PaneView,
  ): Promise<InputState & { screen: string }> {
    let next = first; // the caller's look counts as the first
    let last!: PaneView;
    const found = await pollUntil(async () => {
      last = next ?? await this.view();
      next = undefined;
      if (!last.alive) throw this.#gone();
      return last.state.kind !== "starting";
    }, {
      timeoutMs: this.#timings.inputWaitMs,
      intervalMs: this.#timings.pollMs,
    });
    const view = last;
    if (view.state.kind === "input") {
      return { ...view.state, screen: view.screen };
    }
    if (!found.timedOut && view.state.kind === "dialog") {
      throw this.#awaiting(view);
    }
    throw new NoInputBoxError(
      `${this.#profile.label} in session "${this.#record.sessionId}" shows no input box (another mode, such as shell mode after "!"? \`aimax keys -s ${this.#record.sessionId} Escape\` leaves it); nothing was sent`,
      view.screen,
    );
  }

  #gone(): AimaxError {
    return sessionDead(this.#profile, this.#record.sessionId);
  }

  #awaiting(view: PaneView): AwaitingInputError {
    const state = view.state as Extract<PaneState, { kind: "dialog" }>;
    const what = state.purpose === "permission"
      ? "asks for permission"
      : state.purpose === "trust"
      ? "asks whether to trust its folder"
      : "shows a dialog";
    return new AwaitingInputError(
      `${this.#profile.label} in session "${this.#record.sessionId}" ${what} and waits on a person (answer it with \`tmux attach\`); nothing was sent`,
      state.text,
      view.screen,
    );
  }

  /**
   * Empties the input box with the profile's clear keys (C-u, line by
   * line); see
   * {@linkcode emptyBox}. Refuses, with the screen, when a dialog takes the
   * keyboard or the box cannot be emptied: leftover text must never merge
   * into the next prompt.
   *
   * @param first a look just taken (saves a tmux call when the box is empty)
   * @returns the emptied input box
   */
  async clear(first?: PaneView): Promise<InputState & { screen: string }> {
    const emptied = await emptyBox({
      look: () => this.input(),
      press: () =>
        this.#tmux.sendKeys(
          this.#record.paneId,
          ...this.#profile.clearKeys ?? ["C-u"],
        ),
    }, { first: await this.input(first), timings: this.#timings });
    if (emptied.composer !== "") {
      throw new AgentScreenError(
        `the input box of session "${this.#record.sessionId}" could not be emptied; nothing was sent`,
        emptied.screen,
      );
    }
    return emptied;
  }

  /**
   * Pastes `text` (bracketed) into the emptied input box and presses `key`,
   * in one tmux call: the key follows the paste with nothing in between;
   * or, for an agent with a `submitGapMs`, as a separate call that long
   * after the paste.
   * The caller checked the input box just before.
   *
   * @param text the sanitised prompt
   * @param key `Enter`, or the agent's queue key
   */
  async type(text: string, key: string): Promise<void> {
    const gap = this.#timings.submitGapMs;
    if (gap <= 0) {
      await this.#tmux.pasteAndPress(this.#record.paneId, {
        text,
        keys: [key],
      });
      return;
    }
    // An agent that takes a key in the paste's write as pasted text.
    await this.#tmux.pasteAndPress(this.#record.paneId, { text, keys: [] });
    await new Promise((resolve) => setTimeout(resolve, gap));
    await this.#tmux.sendKeys(this.#record.paneId, key);
  }

  /**
   * Presses keys on a person's behalf (the `keys` command), whatever the
   * pane shows (on purpose); at a dialog, returns once the TUI took them
   * (see {@linkcode pressKeys}).
   *
   * @param keys tmux key names
   * @param first a look taken just before
   * @param options `signal`: the caller went away (nothing more is pressed
   * or waited for)
   */
  async press(
    keys: readonly string[],
    first: PaneView,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    const paneId = this.#record.paneId;
    const { signal } = options;
    await pressKeys({
      look: () => this.view(),
      press: () => this.#tmux.sendKeyList(paneId, keys, { signal }),
    }, { first, timings: this.#timings, signal });
  }

  /**
   * Presses `key` again, only when the input box is up and still holds the
   * start of `text` (a submit key swallowed by a mode switch).
   *
   * @param text the prompt that should have been submitted
   * @param key the submit key
   * @returns whether the prompt was still in the input box
   */
  async retry(text: string, key: string): Promise<boolean> {
    const view = await this.view();
    if (!this.holdsPrompt(view, text)) return false;
    await this.#tmux.sendKeys(this.#record.paneId, key);
    return true;
  }

  /**
   * Whether the input box still holds the start of `text` (it was not
   * submitted).
   *
   * @param text the prompt
   */
  async stillHolds(text: string): Promise<boolean> {
    return this.holdsPrompt(await this.view(), text);
  }

  /**
   * Whether a look just taken shows the start of `text` in the input box.
   *
   * @param view a look at the pane
   * @param text the prompt
   */
  holdsPrompt(view: PaneView, text: string): boolean {
    return view.state.kind === "input" &&
      holds(view.state.composer, {
        text,
        placeholder: this.#profile.pastePlaceholder,
      });
  }

  /**
   * Presses the interrupt keys, each as its own key event, a pause apart.
   *
   * @param keys the profile's interrupt keys
   */
  async #pressInterrupt(keys: readonly string[]): Promise<void> {
    for (const [i, key] of keys.entries()) {
      if (i > 0) await sleep(this.#timings.interruptKeyGapMs);
      await this.#tmux.sendKeys(this.#record.paneId, key);
    }
  }

  /**
   * Interrupts the running turn, if one runs, and waits until it stopped
   * (seen idle twice, and for `interruptSettleMs`), pressing the interrupt keys again now and then. An
   * agent that starts its queued follow-ups by itself right after an
   * interrupt (some do) would look busy again: `handedOn` tells
   * when that happened, so that turn is left running.
   *
   * @param options `handedOn`: whether queued follow-ups started since;
   * `first`: a look just taken
   * @returns `idle` (nothing ran), `stopped`, or `handed-on` (the agent
   * went on with its queued follow-ups)
   */
  async interrupt(
    options: { handedOn?: () => Promise<boolean>; first?: PaneView } = {},
  ): Promise<"idle" | "stopped" | "handed-on"> {
    const first = await this.input(options.first);
    if (!(await this.working(first))) return "idle";
    const keys = this.#profile.interruptKeys;
    await this.#pressInterrupt(keys);
    let pressed = Date.now();
    let idleSeen = 0;
    let idleSince = 0;
    const ended = await pollUntil(async () => {
      if (await options.handedOn?.()) return "handed-on" as const;
      const state = await this.input();
      if (!(await this.working(state))) {
        if (idleSeen++ === 0) idleSince = Date.now();
        return idleSeen >= 2 &&
            Date.now() - idleSince >= this.#timings.interruptSettleMs
          ? "stopped" as const
          : undefined;
      }
      idleSeen = 0;
      if (Date.now() - pressed > this.#timings.interruptRepressMs) {
        await this.#pressInterrupt(keys);
        pressed = Date.now();
      }
      return undefined;
    }, {
      timeoutMs: this.#timings.interruptTimeoutMs,
      intervalMs: this.#timings.pollMs,
    });
    if (ended.timedOut) {
      throw new AgentScreenError(
        `${this.#profile.label} did not stop its turn after ${keys.join(" ")}`,
        await this.screen(),
      );
    }
    return ended.value;
  }
}

/**
 * Whether an input box's text is (the start of) `text`, or the placeholder
 * the agent shows for a paste it collapsed (the box was emptied before the
 * paste, so a placeholder in it is this prompt, not submitted).
 */
function holds(
  composer: string,
  prompt: { text: string; placeholder: RegExp },
): boolean {
  const head = composer.split("\n")[0].trim();
  return head !== "" &&
    (prompt.text.includes(head) || prompt.placeholder.test(head));
}

/** A look at the pane from one snapshot (or its absence). */
function viewOf(
  record: SessionRecord,
  profile: AgentProfile,
  shot: { pane: PaneInfo; screen: string } | undefined,
): PaneView {
  const ours = shot !== undefined && shot.pane.windowId === record.windowId &&
    shot.pane.panePid === record.panePid;
  if (!ours) {
    return {
      alive: false,
      present: false,
      screen: "",
      state: { kind: "starting" },
    };
  }
  return {
    alive: !shot.pane.paneDead,
    present: true,
    screen: shot.screen,
    state: profile.readScreen(shot.screen),
  };
}

/**
 * A look at a session's pane from facts and a screen taken in a batch
 * (`list`: one `list-panes` and one chained capture for every pane).
 *
 * @param record the session
 * @param options the agent, the pane's facts (if listed) and its screen
 */
export function viewFromBatch(
  record: SessionRecord,
  options: { profile: AgentProfile; pane?: PaneInfo; screen?: string },
): PaneView {
  return viewOf(
    record,
    options.profile,
    options.pane
      ? { pane: options.pane, screen: options.screen ?? "" }
      : undefined,
  );
}

/**
 * The error for a session whose agent no longer runs (code `session_dead`).
 *
 * @param profile the agent
 * @param sessionId the session
 * @param options `message`: the whole message, when the default (the agent
 *   is not running, and what to do) does not fit
 */
export function sessionDead(
  profile: AgentProfile,
  sessionId: string,
  options: { message?: string } = {},
): AimaxError {
  return new AimaxError(
    "session_dead",
    options.message ??
      `${profile.label} in session "${sessionId}" is not running (see \`aimax status\`); stop it and create it again`,
  );
}

/** An input box as {@linkcode emptyBox} sees it. */
export interface Box {
  /** A look at the box (refuses when a dialog took the keyboard). */
  look(): Promise<InputState & { screen: string }>;
  /** Presses C-u once. */
  press(): Promise<void>;
}

/**
 * Presses C-u until the box is empty, up to `clearPresses` times. After a
 * press, a change is waited for `3 × pollMs`; when none came, C-u is pressed
 * once more and a change waited for up to `takeWaitMs`, since a TUI on a
 * loaded machine reads its keys seconds late (a C-u more on an emptied box
 * does nothing). Two presses without a change end it.
 *
 * @param box how to look at the box and press C-u
 * @param options the look just taken and the time limits
 * @returns the last look: its `composer` is `""` when the box was emptied
 */
export async function emptyBox(
  box: Box,
  options: {
    first: InputState & { screen: string };
    timings: Pick<BackendTimings, "clearPresses" | "pollMs" | "takeWaitMs">;
  },
): Promise<InputState & { screen: string }> {
  const { clearPresses, pollMs, takeWaitMs } = options.timings;
  let state = options.first;
  let unchanged = 0;
  for (let i = 0; state.composer !== "" && unchanged < 2; i++) {
    if (i >= clearPresses) break;
    await box.press();
    const before = state.composer;
    await pollUntil(async () => {
      state = await box.look();
      return state.composer !== before;
    }, {
      timeoutMs: unchanged === 0 ? pollMs * 3 : takeWaitMs,
      intervalMs: unchanged === 0 ? Math.min(30, pollMs) : pollMs,
    });
    unchanged = state.composer === before ? unchanged + 1 : 0;
  }
  return state;
}

/** A pane as {@linkcode pressKeys} sees it. */
export interface KeyTarget {
  /** A look at the pane. */
  look(): Promise<Pick<PaneView, "alive" | "state" | "screen">>;
  /** Presses the keys, once. */
  press(): Promise<void>;
}

/**
 * Presses keys on a person's behalf, with no check first, and waits until
 * the TUI shows it took them, so that what comes next reads the screen the
 * keys made. When a dialog was up: until it closed or changed (another
 * option marked, another dialog), up to `keysTakenMs`: a TUI on a loaded
 * machine reads its keys late, and a `wait` right after `keys Enter` would
 * otherwise still read the dialog the Enter answered. Otherwise: until the
 * agent's reading of the screen changed (the input box's text, a turn
 * running, a mode with no input box) and held still for `keysSettleMs`, up
 * to `keysShownMs`: a `send` right after `keys !` would
 * otherwise read the input box as it was before the agent entered shell
 * mode, and the prompt would run as a shell command. Keys that change
 * nothing are not an error: it returns after the wait.
 *
 * @param target how to look at the pane and press the keys
 * @param options the look just taken, the time limits, and a signal that
 *   stops the wait (the caller went away)
 * @returns whether the TUI showed it took the keys
 */
export async function pressKeys(
  target: KeyTarget,
  options: {
    first: Pick<PaneView, "alive" | "state" | "screen">;
    timings: Pick<
      BackendTimings,
      "keysTakenMs" | "keysShownMs" | "keysSettleMs" | "pollMs"
    >;
    signal?: AbortSignal;
  },
): Promise<boolean> {
  await target.press();
  const before = options.first;
  const atDialog = before.state.kind === "dialog";
  const reading = JSON.stringify(before.state);
  // Without a dialog, the new reading must hold for `keysSettleMs`: a TUI
  // passes through steps (one shows "!" in the box, then shell
  // mode), and a send must not read a step.
  let last = reading;
  let since = Date.now();
  const taken = await pollUntil(async () => {
    const now = await target.look();
    if (!now.alive) return true;
    if (atDialog) {
      return now.state.kind !== "dialog" ||
        now.state.text !== (before.state as { text: string }).text;
    }
    // What the agent's reader makes of the screen, not its raw text: a
    // spinner or a clock redrawn meanwhile is not the keys taken.
    const read = JSON.stringify(now.state);
    if (read !== last) {
      last = read;
      since = Date.now();
    }
    return read !== reading &&
      Date.now() - since >= options.timings.keysSettleMs;
  }, {
    timeoutMs: atDialog
      ? options.timings.keysTakenMs
      : options.timings.keysShownMs,
    intervalMs: options.timings.pollMs,
    signal: options.signal,
  });
  return !taken.timedOut;
}
