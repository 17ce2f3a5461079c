/**
 * Tests of `confirmLanding` against a stand-in pane whose TUI reads its keys
 * late, as a real Claude Code does on a loaded machine: a clean-clone CI
 * run failed `20 CLI processes at once` with "did not take the prompt: it is
 * still in the input box", and the same failure came back here with the 20
 * real TUIs held to half a core (a cgroup CPU quota). The stand-in shows an
 * input box holding the prompt (its own Enter was dropped: Claude Code right
 * after start-up can take it before the paste) and empties it, writing the
 * transcript record, `latencyMs` after a press. The three slow-TUI tests
 * fail against the policy before (Enter again every 250 ms, giving up
 * `landingWaitMs` after the last press).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { PaneState } from "../../lib/agents/agent.ts";
import {
  confirmLanding,
  type LandingOptions,
  type LandingPane,
  landingTimings,
} from "../../lib/backend/landing.ts";
import { DEFAULT_TIMINGS } from "../../lib/backend/timings.ts";

const PROMPT = "hello c00";

/** A TUI holding `PROMPT` in its box that reads a key `latencyMs` late. */
function slowTui(options: { latencyMs: number; holding?: boolean }) {
  let box = options.holding === false ? "" : PROMPT;
  let resolve!: () => void;
  const landed = new Promise<void>((r) => resolve = r);
  const timers: ReturnType<typeof setTimeout>[] = [];
  const presses: number[] = [];
  const started = Date.now();
  const pane: LandingPane = {
    view() {
      const state: PaneState = { kind: "input", working: false, composer: box };
      return Promise.resolve({
        alive: true,
        present: true,
        screen: box,
        state,
      });
    },
    holdsPrompt(view, text) {
      return view.state.kind === "input" && view.state.composer !== "" &&
        text.includes(view.state.composer);
    },
    retry(text, _key) {
      if (box === "" || !text.includes(box)) return Promise.resolve(false);
      presses.push(Date.now() - started);
      timers.push(setTimeout(() => {
        if (box === "") return;
        box = "";
        resolve();
      }, options.latencyMs));
      return Promise.resolve(true);
    },
  };
  return {
    pane,
    landed,
    presses,
    /** Lands the prompt without a press (the agent was only slow to write). */
    landLater(ms: number) {
      timers.push(setTimeout(() => {
        box = "";
        resolve();
      }, ms));
    },
    /** `confirmLanding` on this pane: `PROMPT`, Enter, default timings. */
    confirm(options: Partial<LandingOptions> = {}) {
      return confirmLanding(pane, {
        text: PROMPT,
        key: "Enter",
        landed,
        timings: DEFAULT_TIMINGS,
        ...options,
      });
    },
    [Symbol.dispose]: () => timers.forEach(clearTimeout),
  };
}

Deno.test("landing: a TUI that reads its keys 3 s late still gets the prompt (default timings)", async () => {
  using tui = slowTui({ latencyMs: 3_000 });
  const started = Date.now();
  const landed = await tui.confirm();
  assert.equal(landed, true, `presses at ${tui.presses.join(", ")} ms`);
  // Pressed again with growing gaps (250, 500, 1000 ms plus two looks
  // each), all before the first press was read.
  assert.equal(tui.presses.length, DEFAULT_TIMINGS.submitRetries);
  const gaps = tui.presses.slice(1).map((t, i) => t - tui.presses[i]);
  assert.ok(gaps[1] > gaps[0], `gaps ${gaps}`);
  assert.ok(Date.now() - started < 3_000 + DEFAULT_TIMINGS.landingWaitMs);
});

const FAST = {
  ...DEFAULT_TIMINGS,
  enterTakenMs: 20,
  landingWaitMs: 300,
  takeWaitMs: 1_500,
  pollMs: 10,
};

Deno.test("landing: a TUI that reads its keys later than all the presses: waited for past landingWaitMs, up to takeWaitMs", async () => {
  // Scaled down: the presses end after about 0.3 s, landingWaitMs would end
  // the wait 0.3 s after that, the key is read after 1 s.
  using tui = slowTui({ latencyMs: 1_000 });
  const landed = await tui.confirm({
    timings: FAST,
  });
  assert.equal(landed, true, `presses at ${tui.presses.join(", ")} ms`);
  assert.equal(tui.presses.length, FAST.submitRetries);
  assert.ok(tui.presses.at(-1)! + FAST.landingWaitMs < 1_000);
});

Deno.test("landing: a TUI that never takes the key: false, takeWaitMs after the last press", async () => {
  using tui = slowTui({ latencyMs: 60_000 });
  const started = Date.now();
  const landed = await tui.confirm({
    timings: FAST,
  });
  const afterLast = Date.now() - started - tui.presses.at(-1)!;
  assert.equal(landed, false);
  assert.equal(tui.presses.length, FAST.submitRetries);
  assert.ok(
    afterLast >= FAST.takeWaitMs - 20,
    `gave up ${afterLast} ms after the last press`,
  );
});

Deno.test("landing: a prompt that left the box without a record: not landed after landingWaitMs, not takeWaitMs", async () => {
  using tui = slowTui({ latencyMs: 0, holding: false });
  const timings = { ...FAST, submitRetries: 0 };
  const started = Date.now();
  const landed = await tui.confirm({
    timings,
  });
  const elapsed = Date.now() - started;
  assert.equal(landed, false);
  assert.deepEqual(tui.presses, []);
  assert.ok(elapsed >= timings.landingWaitMs - 20, `${elapsed} ms`);
  assert.ok(elapsed < timings.takeWaitMs, `${elapsed} ms`);
});

Deno.test("landing: without a transcript, discovery goes on while the prompt sits in the box after the last press", async () => {
  using tui = slowTui({ latencyMs: 60_000 });
  const started = Date.now();
  const landed = await tui.confirm({
    landed: undefined,
    // Found once 1 s has passed: past the presses and landingWaitMs.
    discover: () => Promise.resolve(Date.now() - started > 1_000),
    timings: FAST,
  });
  assert.equal(landed, true);
  assert.equal(tui.presses.length, FAST.submitRetries);
});

Deno.test("landing: a responsive TUI that dropped the first Enter: one more press, landed at once", async () => {
  using tui = slowTui({ latencyMs: 0 });
  const started = Date.now();
  const landed = await tui.confirm();
  assert.equal(landed, true);
  assert.equal(tui.presses.length, 1);
  assert.ok(Date.now() - started < DEFAULT_TIMINGS.landingWaitMs / 2);
});

Deno.test("landing: the box emptied but the record is late: no press, landed when it comes", async () => {
  using tui = slowTui({ latencyMs: 0, holding: false });
  tui.landLater(1_000);
  const landed = await tui.confirm();
  assert.equal(landed, true);
  assert.deepEqual(tui.presses, []);
});

Deno.test("landing: a queue key (Tab) is not pressed again early: the full wait, then the screen's queue counts", async () => {
  using tui = slowTui({ latencyMs: 0 });
  let looks = 0;
  const timings = { ...DEFAULT_TIMINGS, landingWaitMs: 300, pollMs: 10 };
  const landed = await tui.confirm({
    key: "Tab",
    onScreen: () => ++looks >= 5,
    timings,
  });
  assert.equal(landed, true);
  assert.deepEqual(tui.presses, []);
});

Deno.test("landing: without a transcript, discovery is asked after each press", async () => {
  using tui = slowTui({ latencyMs: 0 });
  let asked = 0;
  const landed = await tui.confirm({
    landed: undefined,
    discover: () => Promise.resolve(++asked === 2),
  });
  assert.equal(landed, true);
  assert.equal(asked, 2);
  assert.equal(tui.presses.length, 1);
});

Deno.test("landing: a session's first prompt is pressed again after firstEnterTakenMs, later ones after enterTakenMs", () => {
  const first = landingTimings({ lastPromptAt: null }, DEFAULT_TIMINGS);
  assert.equal(first.enterTakenMs, DEFAULT_TIMINGS.firstEnterTakenMs);
  assert.ok(first.enterTakenMs < DEFAULT_TIMINGS.enterTakenMs);
  const later = landingTimings(
    { lastPromptAt: "2026-11-26T00:00:00.000Z" },
    DEFAULT_TIMINGS,
  );
  assert.deepEqual(later, DEFAULT_TIMINGS);
});
