/**
 * Confirming that a pasted prompt was taken: waiting for it to land (in the
 * transcript, or found by discovery, or shown as queued), and pressing the
 * submit key again only while the prompt still sits in the input box.
 *
 * A TUI that is slow to read its keys (a loaded machine, twenty agents
 * starting at once) looks like one that dropped the Enter: the prompt stays
 * in the box. So the time after which a held prompt counts as "not taken"
 * doubles with each press, and after the last press a prompt still in the
 * box is waited for up to `takeWaitMs` (30 s), not `landingWaitMs`: a
 * submission fails only when its prompt sat in the box that long.
 *
 * @module
 */
import { pollUntil } from "../poll.ts";
import type { SessionRecord } from "../state.ts";
import type { Pane } from "./pane.ts";
import type { BackendTimings } from "./timings.ts";

/**
 * The time limits for confirming a session's next prompt: its first one
 * (no prompt yet, right after start-up) is pressed again after
 * `firstEnterTakenMs`, later ones after `enterTakenMs`.
 *
 * @example
 * ```ts ignore
 * confirmLanding(pane, { ...options, timings: landingTimings(record, DEFAULT_TIMINGS) });
 * ```
 * @param record the session (`lastPromptAt` is `null` before its first prompt)
 * @param timings the backend's time limits
 */
export function landingTimings(
  record: Pick<SessionRecord, "lastPromptAt">,
  timings: BackendTimings,
): BackendTimings {
  return record.lastPromptAt === null
    ? { ...timings, enterTakenMs: timings.firstEnterTakenMs }
    : timings;
}

/** What confirming a landing needs of a pane ({@linkcode Pane}). */
export type LandingPane = Pick<Pane, "view" | "holdsPrompt" | "retry">;

/** Options of {@linkcode confirmLanding}. */
export interface LandingOptions {
  /** The prompt that was pasted. */
  text: string;
  /** The key pressed after it (`Enter`, or the agent's queue key). */
  key: string;
  /**
   * Resolves when the transcript shows the prompt; without it, `discover`
   * looks for the prompt instead (an agent whose transcript is found only
   * after its first prompt has none before).
   */
  landed?: Promise<void>;
  /** Looks for the prompt for up to `landingWaitMs`; whether it was found. */
  discover?: () => Promise<boolean>;
  /** Whether the screen shows the prompt queued (agents that show a queue). */
  onScreen?: (screen: string, text: string) => boolean;
  /** The backend's time limits. */
  timings: Pick<
    BackendTimings,
    "enterTakenMs" | "landingWaitMs" | "takeWaitMs" | "submitRetries" | "pollMs"
  >;
}

/**
 * Waits for a pasted prompt to land, pressing `key` again (up to
 * `submitRetries` times) when the prompt still sits in the input box.
 * After press `n` (0 for the paste's own), two looks from
 * `enterTakenMs × 2ⁿ` on that still find the prompt in the box end the wait
 * early, so the key is pressed again sooner than `landingWaitMs`. After the
 * last press, a prompt that left the box is given `landingWaitMs` to show,
 * one still in the box `takeWaitMs`.
 *
 * @example
 * ```ts ignore
 * const landed = await confirmLanding(pane, {
 *   text, key: "Enter", landed: watcher.landed, timings: DEFAULT_TIMINGS,
 * });
 * ```
 * @param pane the session's pane
 * @param options the prompt, the key and how a landing shows
 * @returns whether the prompt landed
 */
export async function confirmLanding(
  pane: LandingPane,
  options: LandingOptions,
): Promise<boolean> {
  const { submitRetries, enterTakenMs } = options.timings;
  for (let press = 0; press <= submitRetries; press++) {
    const last = press === submitRetries;
    const landed = options.landed
      ? await waitLanded(pane, {
        ...options,
        landed: options.landed,
        takenMs: enterTakenMs * 2 ** press,
        last,
      })
      : await discoverLanded(pane, { ...options, last });
    if (landed) return true;
    if (last) return false;
    // Not landed yet: press the key again only when the prompt still
    // sits in the input box.
    await pane.retry(options.text, options.key);
  }
  return false;
}

/**
 * Asks `discover` (which polls up to `landingWaitMs`); after the last press,
 * asks again while the prompt sits in the input box, up to `takeWaitMs`.
 */
async function discoverLanded(
  pane: LandingPane,
  options: LandingOptions & { last: boolean },
): Promise<boolean> {
  const discover = options.discover ?? (() => Promise.resolve(false));
  if (await discover()) return true;
  if (!options.last) return false;
  const { landingWaitMs, takeWaitMs, pollMs } = options.timings;
  const hit = await pollUntil(async () => {
    const view = await pane.view();
    if (!pane.holdsPrompt(view, options.text)) return "left the box";
    return await discover() ? "landed" : undefined;
  }, {
    timeoutMs: Math.max(0, takeWaitMs - landingWaitMs),
    intervalMs: pollMs,
  });
  return !hit.timedOut && hit.value === "landed";
}

/**
 * Waits up to `landingWaitMs` for the prompt to land: in the transcript, or
 * (for a queued prompt of an agent that shows its queue) on screen. When
 * the key was Enter and a press follows, ends sooner, not landed, once two
 * looks from `takenMs` on find the prompt still in the input box (the Enter
 * was not taken; an Enter pressed again on an emptied box does nothing).
 * Other keys (a queue key other than Enter) wait the full time. After the last
 * press, goes on past `landingWaitMs` while the prompt sits in the box, up
 * to `takeWaitMs`.
 */
async function waitLanded(
  pane: LandingPane,
  options: LandingOptions & {
    landed: Promise<void>;
    takenMs: number;
    last: boolean;
  },
): Promise<boolean> {
  const { landingWaitMs, takeWaitMs, pollMs } = options.timings;
  let done = false;
  options.landed.then(() => done = true);
  const pressed = Date.now();
  let held = 0;
  const hit = await pollUntil(async () => {
    if (done) return "landed";
    const elapsed = Date.now() - pressed;
    // One look per poll, and none before a landing is late: a send that
    // lands at once costs no extra tmux call.
    const late = options.key === "Enter" && !options.last &&
      elapsed >= options.takenMs;
    const overdue = options.last && elapsed >= landingWaitMs;
    if (!options.onScreen && !late && !overdue) return undefined;
    const view = await pane.view();
    if (options.onScreen?.(view.screen, options.text)) return "landed";
    const holding = pane.holdsPrompt(view, options.text);
    if (overdue && !holding) return "left the box";
    held = late && holding ? held + 1 : 0;
    return held >= 2 ? "not taken" : undefined;
  }, {
    timeoutMs: options.last
      ? Math.max(landingWaitMs, takeWaitMs)
      : landingWaitMs,
    intervalMs: pollMs,
    wake: options.landed,
  });
  return done || (!hit.timedOut && hit.value === "landed");
}
