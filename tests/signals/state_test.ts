import assert from "node:assert/strict";
import type { PaneState } from "../../lib/agents/agent.ts";
import {
  deriveState,
  SIGNAL_FRESH_MS,
  type SignalEvent,
  signalState,
} from "../../lib/signals/state.ts";

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
