import assert from "node:assert/strict";
import type { PaneState } from "../../lib/agents/agent.ts";
import {
  comparableText,
  deriveState,
  promptTurnEnd,
  SIGNAL_FRESH_MS,
  type SignalEvent,
  signalPrompts,
  signalState,
} from "../../lib/signals/session_state.ts";

const NOW = 1_800_000_000_000;
const input: PaneState = { kind: "input", working: false, composer: "" };
const sig = (event: string, ago = 0, payload = {}): SignalEvent => ({
  at: NOW - ago,
  event,
  payload,
});

Deno.test("state: what each signal says", () => {
  assert.equal(signalState(sig("SessionStart")), "idle");
  assert.equal(signalState(sig("UserPromptSubmit")), "working");
  assert.equal(signalState(sig("PreToolUse")), "working");
  assert.equal(signalState(sig("PostToolUse")), "working");
  assert.equal(signalState(sig("PermissionRequest")), "awaiting_input");
  assert.equal(signalState(sig("Stop")), "idle");
  assert.equal(signalState(sig("SessionEnd")), "exited");
  assert.equal(signalState(sig("Notification")), undefined);
  const notify = sig("notify", 0, {
    type: "agent-turn-complete",
    "thread-id": "t1",
  });
  assert.equal(signalState(notify, { threadId: "t1" }), "idle");
  assert.equal(
    signalState(notify, { threadId: "t2" }),
    undefined,
    "another thread (Codex's title generation)",
  );
  assert.equal(signalState(notify), undefined, "thread not known yet");
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
    last: { signal: sig("Stop"), state: "idle" },
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
  const derive = (event: string, ago: number, working: boolean) =>
    deriveState({
      alive: true,
      pane: input,
      working,
      now: NOW,
      last: { signal: sig(event, ago), state: signalState(sig(event))! },
    }).state;
  assert.equal(derive("UserPromptSubmit", 10, false), "working", "fresh");
  assert.equal(
    derive("UserPromptSubmit", SIGNAL_FRESH_MS + 1, false),
    "idle",
    "interrupted: no Stop fires, the screen shows no turn",
  );
  assert.equal(derive("PreToolUse", 60_000, true), "working");
  assert.equal(
    derive("PermissionRequest", 60_000, true),
    "working",
    "the dialog was answered",
  );
  assert.equal(derive("Stop", 10, false), "idle");
  assert.equal(
    derive("Stop", 10, true),
    "working",
    "a new turn after the end (Codex signals only turn ends)",
  );
  assert.equal(derive("SessionEnd", 10, false), "exited");
});

Deno.test("state: the prompts a signal names", () => {
  assert.deepEqual(
    signalPrompts(sig("UserPromptSubmit", 0, { prompt: "hi" })),
    [
      "hi",
    ],
  );
  assert.deepEqual(
    signalPrompts(sig("notify", 0, { "input-messages": ["a", 3, "b"] })),
    ["a", "b"],
  );
  assert.deepEqual(signalPrompts(sig("Stop", 0, { prompt: "x" })), []);
  assert.deepEqual(signalPrompts(sig("UserPromptSubmit", 0, {})), []);
  assert.equal(comparableText(" a\r\n\tb  c "), "a b c");
});

Deno.test("state: a queued prompt's turn end is its own, not the turn it waited behind", () => {
  const stop = (ago: number, text: string) =>
    sig("Stop", ago, { last_assistant_message: text });
  const submit = (ago: number, prompt: string) =>
    sig("UserPromptSubmit", ago, { prompt });
  // Claude Code: "three" runs, "four" is sent at NOW-50 and queued.
  const claude = [
    submit(100, "three"),
    stop(40, "ack: three"),
    submit(30, "four"),
    stop(10, "ack: four"),
  ];
  const since = NOW - 50;
  assert.equal(
    promptTurnEnd(claude, { prompt: "four", since })?.payload
      ?.last_assistant_message,
    "ack: four",
  );
  assert.equal(
    promptTurnEnd(claude.slice(0, 3), { prompt: "four", since }),
    undefined,
    "its turn started but has not ended",
  );
  assert.equal(
    promptTurnEnd(claude, { prompt: "four", since: NOW }),
    undefined,
    "signals before `since` do not count",
  );
  assert.ok(
    promptTurnEnd(claude, { prompt: " four\n", since }),
    "compared without surrounding blanks",
  );
  // Codex: the notify names the turn's prompts; another thread's is ignored.
  const notify = (ago: number, thread: string, inputs: string[]) =>
    sig("notify", ago, {
      type: "agent-turn-complete",
      "thread-id": thread,
      "input-messages": inputs,
      "last-assistant-message": `ack: ${inputs.at(-1)}`,
    });
  const codex = [
    notify(40, "t1", ["three"]),
    notify(20, "title", ["four"]),
    notify(10, "t1", ["four"]),
  ];
  assert.equal(
    promptTurnEnd(codex, { prompt: "four", since, threadId: "t1" }),
    codex[2],
  );
  assert.equal(
    promptTurnEnd(codex.slice(0, 2), { prompt: "four", since, threadId: "t1" }),
    undefined,
  );
  // The title thread names the prompt before its turn ends: not counted.
  const titled = [notify(45, "title", ["four"]), notify(40, "t1", ["three"])];
  assert.equal(
    promptTurnEnd(titled, { prompt: "four", since: NOW - 50, threadId: "t1" }),
    undefined,
  );
});
