import assert from "node:assert/strict";
import type { PaneState } from "../../lib/agents/agent.ts";
import {
  type AgentSignal,
  comparableText,
  deriveState,
  type HeardSignal,
  promptTurnEnd,
  SIGNAL_FRESH_MS,
  type SignalEvent,
  signalPrompts,
  signalState,
} from "../../lib/signals/session_state.ts";

const NOW = 1_800_000_000_000;
const input: PaneState = { kind: "input", working: false, composer: "" };
const raw = (event: string, ago = 0): SignalEvent => ({
  at: NOW - ago,
  event,
  payload: {},
});
const heard = (said: AgentSignal, ago = 0): HeardSignal => ({
  raw: raw(said.kind, ago),
  said,
});

Deno.test("state: what each signal says", () => {
  assert.equal(signalState({ kind: "session_started" }), "idle");
  assert.equal(signalState({ kind: "turn_started", prompt: "x" }), "working");
  assert.equal(signalState({ kind: "tool_asked" }), "working");
  assert.equal(signalState({ kind: "tool_ran" }), "working");
  assert.equal(signalState({ kind: "permission_asked" }), "awaiting_input");
  assert.equal(signalState({ kind: "turn_ended" }), "idle");
  assert.equal(signalState({ kind: "session_ended" }), "exited");
});

Deno.test("state: the pane decides exited, dialogs and start-up", () => {
  const derive = (o: Partial<Parameters<typeof deriveState>[0]>) =>
    deriveState({ alive: true, pane: input, working: false, now: NOW, ...o })
      .state;
  assert.equal(derive({ alive: false }), "exited");
  const dialog: PaneState = {
    kind: "dialog",
    purpose: "permission",
    text: "Bash command\nrm -rf x",
  };
  const reading = deriveState({
    alive: true,
    pane: dialog,
    working: false,
    now: NOW,
    last: { signal: raw("turn_ended"), state: "idle" },
  });
  assert.equal(reading.state, "awaiting_input");
  assert.equal(reading.dialog, "Bash command\nrm -rf x");
  assert.equal(
    derive({ pane: { kind: "dialog", purpose: "trust", text: "" } }),
    "starting",
  );
  assert.equal(derive({ pane: { kind: "starting" } }), "starting");
  assert.equal(derive({}), "idle", "no signals: the input box is up");
  assert.equal(derive({ working: true }), "working", "no signals: screen");
});

Deno.test("state: signals first, the screen checks stale ones", () => {
  const derive = (
    kind: AgentSignal["kind"],
    ago: number,
    working: boolean,
  ) =>
    deriveState({
      alive: true,
      pane: input,
      working,
      now: NOW,
      last: {
        signal: raw(kind, ago),
        state: signalState({ kind } as AgentSignal),
      },
    }).state;
  assert.equal(derive("turn_started", 10, false), "working", "fresh");
  assert.equal(
    derive("turn_started", SIGNAL_FRESH_MS + 1, false),
    "idle",
    "interrupted: no turn end fires, the screen shows no turn",
  );
  assert.equal(derive("tool_asked", 60_000, true), "working");
  assert.equal(
    derive("permission_asked", 60_000, true),
    "working",
    "the dialog was answered",
  );
  assert.equal(derive("turn_ended", 10, false), "idle");
  assert.equal(
    derive("turn_ended", 10, true),
    "working",
    "a new turn after the end (an agent that signals only turn ends)",
  );
  assert.equal(derive("session_ended", 10, false), "exited");
});

Deno.test("state: the prompts a signal names", () => {
  assert.deepEqual(signalPrompts({ kind: "turn_started", prompt: "hi" }), [
    "hi",
  ]);
  assert.deepEqual(
    signalPrompts({ kind: "turn_ended", prompts: ["a", "b"] }),
    ["a", "b"],
  );
  assert.deepEqual(signalPrompts({ kind: "turn_ended", answer: "x" }), []);
  assert.deepEqual(signalPrompts({ kind: "turn_started" }), []);
  assert.deepEqual(signalPrompts({ kind: "tool_asked" }), []);
  assert.equal(comparableText(" a\r\n\tb  c "), "a b c");
});

Deno.test("state: a queued prompt's turn end is its own, not the turn it waited behind", () => {
  const end = (ago: number, answer: string) =>
    heard({ kind: "turn_ended", answer }, ago);
  const start = (ago: number, prompt: string) =>
    heard({ kind: "turn_started", prompt }, ago);
  // Prompts named at the start: "three" runs, "four" is sent at NOW-50 and
  // queued.
  const atStart = [
    start(100, "three"),
    end(40, "ack: three"),
    start(30, "four"),
    end(10, "ack: four"),
  ];
  const since = NOW - 50;
  assert.equal(
    promptTurnEnd(atStart, { prompt: "four", since }),
    atStart[3],
  );
  assert.equal(
    promptTurnEnd(atStart.slice(0, 3), { prompt: "four", since }),
    undefined,
    "its turn started but has not ended",
  );
  assert.equal(
    promptTurnEnd(atStart, { prompt: "four", since: NOW }),
    undefined,
    "signals before `since` do not count",
  );
  assert.ok(
    promptTurnEnd(atStart, { prompt: " four\n", since }),
    "compared without surrounding blanks",
  );
  // Prompts named at the end.
  const ended = (ago: number, prompts: string[]) =>
    heard(
      { kind: "turn_ended", prompts, answer: `ack: ${prompts.at(-1)}` },
      ago,
    );
  const atEnd = [ended(40, ["three"]), ended(10, ["four"])];
  assert.equal(promptTurnEnd(atEnd, { prompt: "four", since }), atEnd[1]);
  assert.equal(
    promptTurnEnd(atEnd.slice(0, 1), { prompt: "four", since }),
    undefined,
  );
  // A session start is no turn end.
  assert.equal(
    promptTurnEnd([start(30, "four"), heard({ kind: "session_started" }, 20)], {
      prompt: "four",
      since,
    }),
    undefined,
  );
});
