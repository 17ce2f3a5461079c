/**
 * `Pane.holdsPrompt`: whether a look shows the prompt still in the input
 * box (its Enter was not taken), on screens captured from the real TUIs
 * (`tests/fixtures/screens/<agent>/<version>`, both ends of the tested
 * range). A paste the TUI collapsed into a placeholder
 * is the prompt too: reading it as "left the box" lost a 3-line prompt on
 * the real Claude Code (the Enter was dropped, aimax did not press it again
 * and reported it sent).
 *
 * `emptyBox`: C-u until the input box is empty, on a stand-in box whose
 * C-u is read late (a loaded machine): it used to refuse ("could not be
 * emptied") when two C-u's changed nothing within 300 ms each.
 *
 * `pressKeys`: at a dialog, `keys` returns once the TUI took the keys; on a
 * stand-in dialog that reads them late (`keys Enter` then `wait` read the
 * dialog the Enter had answered, on the real Claude Code held to one core).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AgentProfile } from "../../lib/agents/agent.ts";
import { claudeProfile } from "../../lib/agents/claude.ts";
import { codexProfile } from "../../lib/agents/codex.ts";
import { PROFILES } from "../../lib/agents/mod.ts";
import {
  type Box,
  emptyBox,
  type KeyTarget,
  Pane,
  type PaneView,
  pressKeys,
  viewFromBatch,
} from "../../lib/backend/pane.ts";
import { DEFAULT_TIMINGS } from "../../lib/backend/timings.ts";
import type { SessionRecord } from "../../lib/state.ts";
import { TmuxClient } from "../../lib/tmux/mod.ts";
import type { PaneInfo } from "../../lib/tmux/mod.ts";
import { ROOT } from "../support/world.ts";

const DIR = join(ROOT, "tests", "fixtures", "screens");

const record = {
  sessionId: "p1",
  windowId: "@1",
  paneId: "%1",
  panePid: 42,
} as SessionRecord;
const info: PaneInfo = {
  sessionId: "$1",
  sessionName: "hub",
  windowId: "@1",
  windowName: "p1",
  paneId: "%1",
  panePid: 42,
  paneDead: false,
  paneDeadStatus: undefined,
  currentCommand: "agent",
};

async function holds(profile: AgentProfile, fixture: string, text: string) {
  const screen = await Deno.readTextFile(join(DIR, fixture));
  const view = viewFromBatch(record, { profile, pane: info, screen });
  const pane = new Pane(new TmuxClient(), record, {
    profile,
    timings: DEFAULT_TIMINGS,
  });
  return pane.holdsPrompt(view, text);
}

const PROMPT = "cr one\ncr two\ncr three";

/** The captured versions of each agent's screens (`2.1.197`, `2.1.332`, …). */
const VERSIONS = {
  claude: [...Deno.readDirSync(join(DIR, "claude"))].filter((e) =>
    e.isDirectory
  ).map((e) => e.name).sort(),
  codex: [...Deno.readDirSync(join(DIR, "codex"))].filter((e) => e.isDirectory)
    .map((e) => e.name).sort(),
};

Deno.test("pane: a paste placeholder in the input box is the prompt, not submitted (Claude Code, Codex)", async () => {
  for (const version of VERSIONS.claude) {
    const file = `claude/${version}/paste_placeholder.txt`;
    assert.equal(await holds(claudeProfile, file, PROMPT), true, file);
  }
  for (const version of VERSIONS.codex) {
    const file = `codex/${version}/paste_placeholder.txt`;
    assert.equal(await holds(codexProfile, file, PROMPT), true, file);
  }
});

Deno.test("pane: an empty input box does not hold the prompt", async () => {
  for (const version of VERSIONS.claude) {
    const file = `claude/${version}/ready.txt`;
    assert.equal(await holds(claudeProfile, file, PROMPT), false, file);
  }
  for (const version of VERSIONS.codex) {
    const file = `codex/${version}/ready.txt`;
    assert.equal(await holds(codexProfile, file, PROMPT), false, file);
  }
});

Deno.test("pane: the placeholders are the agents' own, whole", () => {
  for (
    const seen of ["[Pasted text #1 +59 lines]", "[Pasted text #2 +3 lines]"]
  ) assert.match(seen, claudeProfile.pastePlaceholder);
  assert.match("[Pasted Content 3170 chars]", codexProfile.pastePlaceholder);
  for (
    const not of [
      "Pasted text #1 +3 lines",
      "[Pasted text #1 +3 lines] and more",
      "[Pasted Content 3170 chars]",
    ]
  ) assert.doesNotMatch(not, claudeProfile.pastePlaceholder);
  assert.doesNotMatch(
    "[Pasted text #1 +3 lines]",
    codexProfile.pastePlaceholder,
  );
});

/**
 * A box holding `lines` whose C-u (deleting one line) is read `latencyMs`
 * after the press, as by a TUI on a loaded machine.
 */
function slowBox(lines: string[], latencyMs: number) {
  const timers: ReturnType<typeof setTimeout>[] = [];
  let presses = 0;
  const state = () => ({
    kind: "input" as const,
    working: false,
    composer: lines.join("\n"),
    screen: lines.join("\n"),
  });
  const box: Box = {
    look: () => Promise.resolve(state()),
    press() {
      presses++;
      timers.push(setTimeout(() => lines.pop(), latencyMs));
      return Promise.resolve();
    },
  };
  return {
    box,
    first: state(),
    presses: () => presses,
    [Symbol.dispose]: () => timers.forEach(clearTimeout),
  };
}

const EMPTYING = { ...DEFAULT_TIMINGS, pollMs: 20, takeWaitMs: 1_500 };

Deno.test("pane: a box whose C-u is read 1 s late is still emptied (it used to refuse after 2 × 60 ms)", async () => {
  using slow = slowBox(["left", "over"], 1_000);
  const emptied = await emptyBox(slow.box, {
    first: slow.first,
    timings: EMPTYING,
  });
  assert.equal(emptied.composer, "");
  assert.ok(slow.presses() <= EMPTYING.clearPresses);
});

Deno.test("pane: a box that C-u does not change: left as it is after two presses and takeWaitMs", async () => {
  using slow = slowBox(["stuck"], 60_000);
  const started = Date.now();
  const left = await emptyBox(slow.box, {
    first: slow.first,
    timings: EMPTYING,
  });
  assert.equal(left.composer, "stuck");
  assert.equal(slow.presses(), 2);
  assert.ok(Date.now() - started >= EMPTYING.takeWaitMs - 20);
});

Deno.test("pane: an empty box: no C-u", async () => {
  using slow = slowBox([], 0);
  const emptied = await emptyBox(slow.box, {
    first: slow.first,
    timings: EMPTYING,
  });
  assert.equal(emptied.composer, "");
  assert.equal(slow.presses(), 0);
});

const DIALOG = {
  kind: "dialog" as const,
  purpose: "permission" as const,
  text: "Do you want to proceed?\n❯ 1. Yes\n2. No",
};

/**
 * A pane showing `DIALOG` whose keys are read `latencyMs` after the press;
 * `outcome` is what the pane shows once they are.
 */
function slowDialog(
  latencyMs: number,
  outcome: Pick<PaneView, "alive" | "state" | "screen">,
  first: Pick<PaneView, "alive" | "state" | "screen"> = {
    alive: true,
    state: DIALOG,
    screen: DIALOG.text,
  },
) {
  const timers: ReturnType<typeof setTimeout>[] = [];
  let shown: typeof outcome = first;
  let looks = 0;
  const target: KeyTarget = {
    look: () => {
      looks++;
      return Promise.resolve(shown);
    },
    press() {
      timers.push(setTimeout(() => shown = outcome, latencyMs));
      return Promise.resolve();
    },
  };
  return {
    target,
    /** `pressKeys` on it, after a look that saw what it first shows. */
    press: () => pressKeys(target, { first, timings: KEYS }),
    looks: () => looks,
    [Symbol.dispose]: () => timers.forEach(clearTimeout),
  };
}

const KEYS = {
  ...DEFAULT_TIMINGS,
  pollMs: 20,
  keysTakenMs: 3_000,
  keysShownMs: 800,
};
const IDLE = {
  alive: true,
  state: { kind: "input" as const, working: false, composer: "" },
  screen: "> \n  ? for shortcuts",
};
/** Claude Code after the key `!` reads as no input box (shell_mode.txt). */
const SHELL_MODE = {
  alive: true,
  state: { kind: "starting" as const },
  screen: "! \n  ! for shell mode",
};

Deno.test("pane: keys at a dialog read 1 s late: pressKeys returns once the dialog closed", async () => {
  using slow = slowDialog(1_000, IDLE);
  const started = Date.now();
  const taken = await slow.press();
  assert.equal(taken, true);
  // It returned after the TUI read the keys, not at once.
  assert.ok(Date.now() - started >= 1_000 - 20);
  assert.deepEqual((await slow.target.look()).state, IDLE.state);
});

Deno.test("pane: keys that move the dialog's selection count as taken", async () => {
  const moved = {
    alive: true,
    state: { ...DIALOG, text: "Do you want to proceed?\n1. Yes\n❯ 2. No" },
    screen: "Do you want to proceed?\n1. Yes\n❯ 2. No",
  };
  using slow = slowDialog(100, moved);
  assert.equal(await slow.press(), true);
});

Deno.test("pane: keys the dialog ignores: pressKeys gives up after keysTakenMs, without an error", async () => {
  using slow = slowDialog(60_000, IDLE);
  const started = Date.now();
  const taken = await slow.press();
  assert.equal(taken, false);
  assert.ok(Date.now() - started >= KEYS.keysTakenMs - 20);
});

Deno.test("pane: keys with no dialog up (the key ! read 300 ms late): pressKeys returns once the screen shows them, so a send right after reads shell mode", async () => {
  using slow = slowDialog(300, SHELL_MODE, IDLE);
  const started = Date.now();
  assert.equal(await slow.press(), true);
  assert.ok(Date.now() - started >= 300 - 20);
  assert.equal((await slow.target.look()).screen, SHELL_MODE.screen);
});

Deno.test("pane: keys with no dialog up that change nothing: pressKeys gives up after keysShownMs, without an error", async () => {
  using slow = slowDialog(60_000, SHELL_MODE, IDLE);
  const started = Date.now();
  assert.equal(await slow.press(), false);
  const took = Date.now() - started;
  assert.ok(
    took >= KEYS.keysShownMs - 20 && took < KEYS.keysTakenMs,
    `${took}`,
  );
});

Deno.test("pane: keys with no dialog up: a redraw that reads the same (a clock, a spinner) is not the keys taken", async () => {
  const redrawn = { ...IDLE, screen: IDLE.screen + "\n  12:01 PM" };
  using slow = slowDialog(50, redrawn, IDLE);
  const started = Date.now();
  assert.equal(await slow.press(), false);
  assert.ok(Date.now() - started >= KEYS.keysShownMs - 20);
});

Deno.test('pane: keys with no dialog up that pass through a step ("!" in the box, then shell mode): pressKeys returns on the last reading, once it held', async () => {
  const step = {
    alive: true,
    state: { kind: "input" as const, working: false, composer: "!" },
    screen: "❯ !",
  };
  let shown: Pick<PaneView, "alive" | "state" | "screen"> = IDLE;
  const timers = [
    setTimeout(() => shown = step, 50),
    setTimeout(() => shown = SHELL_MODE, 250),
  ];
  try {
    const target: KeyTarget = {
      look: () => Promise.resolve(shown),
      press: () => Promise.resolve(),
    };
    assert.equal(
      await pressKeys(target, { first: IDLE, timings: KEYS }),
      true,
    );
    assert.deepEqual(shown.state, SHELL_MODE.state, "not the step");
  } finally {
    timers.forEach(clearTimeout);
  }
});

/**
 * A stand-in pane for `interrupt`: Copilot's working screen until two
 * Escapes arrived as separate key events, then its idle screen (one
 * `send-keys Escape Escape` is ignored by the real Copilot).
 */
class InterruptedTmux extends TmuxClient {
  presses: { keys: string[]; at: number }[] = [];
  constructor(readonly busy: string, readonly idle: string) {
    super();
  }
  override paneWithText(
    _paneId: string,
  ): Promise<{ pane: PaneInfo; screen: string } | undefined> {
    const separate = this.presses.filter((p) =>
      p.keys.length === 1 && p.keys[0] === "Escape"
    );
    const stopped = separate.length >= 2;
    return Promise.resolve({
      pane: info,
      screen: stopped ? this.idle : this.busy,
    });
  }
  override sendKeys(_paneId: string, ...keys: string[]): Promise<void> {
    this.presses.push({ keys, at: Date.now() });
    return Promise.resolve();
  }
}

/** A tmux stand-in for one pane that shows `screen()` and logs the calls. */
class FakeTmux extends TmuxClient {
  calls: { at: number; what: string }[] = [];
  constructor(readonly screen: () => string) {
    super();
  }
  override paneWithText(): Promise<{ pane: PaneInfo; screen: string }> {
    return Promise.resolve({ pane: info, screen: this.screen() });
  }
  override sendKeys(_pane: string, ...keys: string[]): Promise<void> {
    this.calls.push({ at: Date.now(), what: `keys ${keys.join(" ")}` });
    return Promise.resolve();
  }
  override pasteAndPress(
    _pane: string,
    options: { text: string; keys: readonly string[] },
  ): Promise<void> {
    this.calls.push({
      at: Date.now(),
      what: `paste ${options.text}${
        options.keys.length ? ` + ${options.keys.join(" ")}` : ""
      }`,
    });
    return Promise.resolve();
  }
}

Deno.test("interrupt: each interrupt key is its own key event, the timings' gap apart (Copilot's two Escapes)", async () => {
  const dir = join(DIR, "copilot", "1.0.102");
  const tmux = new InterruptedTmux(
    await Deno.readTextFile(join(dir, "working.txt")),
    await Deno.readTextFile(join(dir, "ready.txt")),
  );
  const pane = new Pane(tmux, { ...record, jsonlPath: null }, {
    profile: PROFILES["tmux-copilot"],
    timings: { ...DEFAULT_TIMINGS, interruptKeyGapMs: 120 },
  });
  assert.equal(await pane.interrupt(), "stopped");
  assert.deepEqual(tmux.presses.map((p) => p.keys), [["Escape"], [
    "Escape",
  ]]);
  assert.ok(tmux.presses[1].at - tmux.presses[0].at >= 110);
});

/** A profile whose screen reads "busy" as a running turn. */
const busyOrIdle: AgentProfile = {
  ...claudeProfile,
  readScreen: (screen) => ({
    kind: "input",
    working: screen === "busy",
    composer: "",
  }),
};

Deno.test("pane: with submitGapMs the key is its own write, that long after the paste; without, one call", async () => {
  for (const gap of [0, 150]) {
    const tmux = new FakeTmux(() => "idle");
    const pane = new Pane(tmux, record, {
      profile: busyOrIdle,
      timings: { ...DEFAULT_TIMINGS, submitGapMs: gap },
    });
    await pane.type("hello", "Enter");
    if (gap === 0) {
      assert.deepEqual(tmux.calls.map((c) => c.what), ["paste hello + Enter"]);
    } else {
      assert.deepEqual(tmux.calls.map((c) => c.what), [
        "paste hello",
        "keys Enter",
      ]);
      assert.ok(tmux.calls[1].at - tmux.calls[0].at >= gap - 5);
    }
  }
});

Deno.test("pane: interruptSettleMs lets an agent that hands its queued prompt on late be seen doing it (no second send)", async () => {
  for (const settle of [0, 1_500]) {
    let escaped = 0;
    const tmux = new FakeTmux(() => escaped ? "idle" : "busy");
    tmux.sendKeys = (_pane: string, ...keys: string[]) => {
      if (keys.includes("Escape")) escaped = Date.now();
      return Promise.resolve();
    };
    const pane = new Pane(tmux, record, {
      profile: busyOrIdle,
      timings: { ...DEFAULT_TIMINGS, pollMs: 20, interruptSettleMs: settle },
    });
    // The queued prompt starts 600 ms after the interrupt (its hooks ran).
    const outcome = await pane.interrupt({
      handedOn: () =>
        Promise.resolve(escaped > 0 && Date.now() - escaped > 600),
    });
    assert.equal(outcome, settle === 0 ? "stopped" : "handed-on", `${settle}`);
  }
});
