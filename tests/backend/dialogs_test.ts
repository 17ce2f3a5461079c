/**
 * A dialog's id (no tmux): stable while the dialog is up, a new one for
 * the next dialog even with the same text once a look saw it close, and one
 * id for one dialog whichever process first sees it; the look that gives
 * a dialog that waits on a person its id publishes it, once.
 *
 * Answering a dialog (a stand-in agent in a real tmux pane) of an agent
 * that ignores keys just after it drew one: the key waits out the guard
 * and is pressed once, only into the dialog read.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { claudeProfile } from "../../lib/agents/claude.ts";
import { type BackendContext, paneOf } from "../../lib/backend/context.ts";
import {
  answerDialog,
  dialogInfoOf,
  forgetDialog,
  sameDialog,
} from "../../lib/backend/dialogs.ts";
import { DEFAULT_TIMINGS } from "../../lib/backend/timings.ts";
import { configFromEnv } from "../../lib/config.ts";
import type { AimaxError } from "../../lib/errors.ts";
import { pollUntil } from "../../lib/poll.ts";
import { signalFiles } from "../../lib/signals/files.ts";
import { readObservation } from "../../lib/signals/observations.ts";
import type { PaneState } from "../../lib/signals/screen.ts";
import { type SessionRecord, StateStore } from "../../lib/state.ts";
import { ROOT } from "../support/world.ts";

async function setUp() {
  const dataDir = await Deno.makeTempDir();
  const ctx: BackendContext = {
    name: claudeProfile.name,
    profile: claudeProfile,
    config: { ...configFromEnv(), dataDir },
    store: new StateStore(dataDir),
    timings: DEFAULT_TIMINGS,
  };
  return { ctx, dataDir };
}

const dialog = (text: string): PaneState => ({
  kind: "dialog",
  purpose: "permission",
  text,
  asks: text,
  choices: [{ label: "Yes", kind: "yes", selected: true, keys: ["Enter"] }],
});
const input: PaneState = { kind: "input", working: true, composer: "" };

Deno.test("dialogs: the same dialog keeps its id; another text gets another; the same text after the box was seen gets a new one", async () => {
  const { ctx, dataDir } = await setUp();
  const first = await dialogInfoOf(ctx, "s1", dialog("run npm test?"));
  assert.ok(first);
  assert.match(first.id, /^[0-9a-f]{8}\.[0-9a-z]+$/);
  assert.equal(first.purpose, "permission");
  assert.equal(first.asks, "run npm test?");
  assert.deepEqual(first.choices.map((c) => c.label), ["Yes"]);
  const again = await dialogInfoOf(ctx, "s1", dialog("run npm test?"));
  assert.equal(again?.id, first.id, "stable while it is up");

  const other = await dialogInfoOf(ctx, "s1", dialog("run rm -rf build?"));
  assert.notEqual(other?.id, first.id);
  assert.notEqual(other?.id.slice(0, 8), first.id.slice(0, 8), "its text");

  assert.equal(await dialogInfoOf(ctx, "s1", input), undefined);
  await new Promise((r) => setTimeout(r, 2)); // ids carry the time seen
  const next = await dialogInfoOf(ctx, "s1", dialog("run rm -rf build?"));
  assert.notEqual(next?.id, other?.id, "the next dialog, the same text");
  assert.equal(next?.id.slice(0, 8), other?.id.slice(0, 8));

  // Another session's dialog is its own.
  const elsewhere = await dialogInfoOf(ctx, "s2", dialog("run rm -rf build?"));
  assert.notEqual(elsewhere?.id, next?.id);
  await forgetDialog(ctx, "s1");
  const forgotten = await dialogInfoOf(ctx, "s1", dialog("run rm -rf build?"));
  assert.notEqual(forgotten?.id, next?.id, "an answer forgets it");
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("dialogs: looks that first see a dialog at the same time agree on one id", async () => {
  const { ctx, dataDir } = await setUp();
  for (let round = 0; round < 5; round++) {
    await forgetDialog(ctx, "s1");
    const seen = await Promise.all(
      Array.from(
        { length: 8 },
        () => dialogInfoOf(ctx, "s1", dialog(`question ${round}`)),
      ),
    );
    assert.equal(new Set(seen.map((s) => s?.id)).size, 1, `round ${round}`);
  }
  // Each of the five dialogs published once, by the look that gave its id.
  const lines = await observedLines(ctx, "s1");
  assert.equal(lines.length, 5);
  assert.deepEqual(
    lines.map((l) => l.dialog),
    [0, 1, 2, 3, 4].map((r) => `question ${r}`),
  );
  await Deno.remove(dataDir, { recursive: true });
});

/** The session's observations file, read back. */
async function observedLines(ctx: BackendContext, sessionId: string) {
  const { observed } = signalFiles(ctx.config.dataDir, {
    backend: ctx.name,
    sessionId,
  });
  const text = await Deno.readTextFile(observed).catch(() => "");
  return text.split("\n").filter((l) => l !== "").map((l) =>
    readObservation(JSON.parse(l))!
  );
}

Deno.test("dialogs: a dialog that waits on a person is published once, when it gets its id; the trust dialog is not", async () => {
  const { ctx, dataDir } = await setUp();
  const first = await dialogInfoOf(ctx, "s1", dialog("run npm test?"));
  await dialogInfoOf(ctx, "s1", dialog("run npm test?"));
  let lines = await observedLines(ctx, "s1");
  assert.equal(lines.length, 1, "the same dialog once");
  assert.equal(lines[0].state, "awaiting_input");
  assert.equal(lines[0].reason, "a permission dialog");
  assert.equal(lines[0].dialog, "run npm test?");
  assert.deepEqual(lines[0].dialogInfo, first);
  assert.ok(Math.abs(lines[0].at - Date.now()) < 60_000);

  await dialogInfoOf(ctx, "s1", input);
  await new Promise((r) => setTimeout(r, 2)); // ids carry the time seen
  const next = await dialogInfoOf(ctx, "s1", dialog("run npm test?"));
  lines = await observedLines(ctx, "s1");
  assert.deepEqual(lines.map((l) => l.dialogInfo.id), [first!.id, next!.id]);

  const trust: PaneState = {
    kind: "dialog",
    purpose: "trust",
    text: "Trust this folder?",
  };
  assert.ok(await dialogInfoOf(ctx, "s2", trust));
  assert.deepEqual(await observedLines(ctx, "s2"), []);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("dialogs: moving the selection is the same dialog (same id)", async () => {
  const { ctx, dataDir } = await setUp();
  const at = (n: number) =>
    dialog(
      ["Run ls?", "1. Yes", "2. Yes, and always", "3. No"].map((l, i) =>
        i === n ? `❯ ${l}` : l
      ).join("\n"),
    );
  const first = await dialogInfoOf(ctx, "s1", at(1));
  const moved = await dialogInfoOf(ctx, "s1", at(3));
  assert.equal(moved?.id, first?.id);
  assert.equal(
    sameDialog("Run?\n› 1. Yes (y)\n2. No (esc)"),
    sameDialog("Run?\n1. Yes (y)\n› 2. No (esc)"),
  );
  assert.notEqual(
    sameDialog("Run ls?\n❯ 1. Yes"),
    sameDialog("Run rm?\n❯ 1. Yes"),
  );
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("dialogs: a status drawn at the right edge of the key hints, there or not, is the same dialog; the words of the dialog are not", async () => {
  const { ctx, dataDir } = await setUp();
  // As Codex 0.171 drew one approval, 55 ms apart (its footer's warning).
  const hints = "Press enter to confirm or esc to cancel";
  const body = "$ touch marker\n› 1. Yes, proceed (y)\n2. No (esc)\n";
  const bare = await dialogInfoOf(ctx, "s1", dialog(body + hints));
  const flagged = await dialogInfoOf(
    ctx,
    "s1",
    dialog(`${body}${hints}${" ".repeat(137)}⚠ 1 warning · f2 to view`),
  );
  assert.equal(flagged?.id, bare?.id);
  // Spaces inside what is asked still tell dialogs apart.
  assert.notEqual(
    sameDialog(`$ echo a${" ".repeat(12)}b\n${hints}`),
    sameDialog(`$ echo a${" ".repeat(12)}c\n${hints}`),
  );
  await Deno.remove(dataDir, { recursive: true });
});

/**
 * A stand-in agent in a real tmux pane: it draws `dialog` (a screen file),
 * ignores keys for `guardMs` after it drew it (as Claude Code 2.1.332 does
 * for 150 ms), then draws `after` on the first key it takes; with
 * `then`, it draws that other dialog `thenMs` after the first. It logs
 * every key it reads, with the ms since its dialog was drawn.
 */
async function standIn(options: {
  guardMs: number;
  dialog: string;
  after: string;
  then?: string;
  thenMs?: number;
}) {
  const dir = await Deno.makeTempDir();
  const socket = join(dir, "tmux.sock");
  const log = join(dir, "keys.log");
  const script = join(dir, "agent.sh");
  await Deno.writeTextFile(
    script,
    `stty raw -echo
draw() { printf '\\033[H\\033[2J'; sed 's/$/\\r/' "$1" | head -c -2; }
draw "$1"; shown=$(date +%s%3N)
if [ -n "$5" ]; then sleep "$6"; draw "$5"; shown=$(date +%s%3N); fi
while IFS= read -rsn1 key; do
  now=$(date +%s%3N)
  echo "$((now - shown))" >> "$4"
  if [ $((now - shown)) -ge "$3" ]; then draw "$2"; fi
done
`,
  );
  const tmux = (args: string[]) =>
    new Deno.Command("tmux", { args: ["-S", socket, ...args] }).output();
  await tmux([
    "new-session",
    "-d",
    "-x",
    "600",
    "-y",
    "50",
    "bash",
    script,
    options.dialog,
    options.after,
    String(options.guardMs),
    log,
    options.then ?? "",
    String((options.thenMs ?? 0) / 1000),
  ]);
  const listed = await new Deno.Command("tmux", {
    args: [
      "-S",
      socket,
      "list-panes",
      "-a",
      "-F",
      "#{pane_id} #{window_id} #{pane_pid}",
    ],
    stdout: "piped",
  }).output();
  const [paneId, windowId, panePid] = new TextDecoder().decode(listed.stdout)
    .trim().split(" ");
  const record = {
    sessionId: "s1",
    paneId,
    windowId,
    panePid: Number(panePid),
    tmuxSocket: socket,
  } as SessionRecord;
  return {
    record,
    /** The ms since its dialog was drawn of each key it read. */
    keys: async () =>
      (await Deno.readTextFile(log).catch(() => "")).split("\n")
        .filter((l) => l !== "").map(Number),
    async [Symbol.asyncDispose]() {
      await tmux(["kill-server"]);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const SCREENS = join(ROOT, "tests", "fixtures", "screens", "claude", "2.1.332");

/**
 * Waits until the stand-in's pane reads as a dialog; its id, given by
 * this look.
 */
async function dialogShown(
  ctx: BackendContext,
  record: SessionRecord,
): Promise<string> {
  const shown = await pollUntil(async () => {
    const view = await paneOf(ctx, record).view();
    return (await dialogInfoOf(ctx, record.sessionId, view.state))?.id;
  }, { timeoutMs: 5_000, intervalMs: 5 });
  assert.ok(!shown.timedOut, "the stand-in's dialog never showed");
  return shown.value;
}

Deno.test("dialogs: an agent that ignores keys just after it drew a dialog: approve right after the dialog shows waits out its guard, then its one key is taken", async () => {
  const { ctx, dataDir } = await setUp();
  assert.equal(claudeProfile.dialogInputGuardMs, 150);
  await using agent = await standIn({
    guardMs: 150,
    dialog: join(SCREENS, "permission.txt"),
    after: join(SCREENS, "ready.txt"),
  });
  await dialogShown(ctx, agent.record);
  const answer = await answerDialog(ctx, agent.record, { kind: "yes" });
  assert.equal(answer.kind, "yes");
  const keys = await agent.keys();
  assert.equal(keys.length, 1, `one key, pressed once: ${keys}`);
  assert.ok(keys[0] >= 150, `pressed ${keys[0]} ms after the dialog was drawn`);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("dialogs: a dialog that another one replaced while the guard ran out: refused (dialog_changed), nothing pressed", async () => {
  const { ctx: base, dataDir } = await setUp();
  // The other dialog is drawn 150 ms after the first; the answer reads
  // again 1.15 s after the first was seen: well after, even under load.
  const ctx = {
    ...base,
    timings: { ...DEFAULT_TIMINGS, inputGuardMarginMs: 1_000 },
  };
  const other = join(dataDir, "other.txt");
  await Deno.writeTextFile(
    other,
    (await Deno.readTextFile(join(SCREENS, "permission.txt")))
      .replaceAll("mkdir /tmp/aimax-fixture/marker", "rm -rf /tmp/elsewhere"),
  );
  await using agent = await standIn({
    guardMs: 150,
    dialog: join(SCREENS, "permission.txt"),
    after: join(SCREENS, "ready.txt"),
    then: other,
    thenMs: 150,
  });
  const first = await dialogShown(ctx, agent.record);
  await assert.rejects(
    answerDialog(ctx, agent.record, { kind: "yes", dialog: first }),
    (error: AimaxError) => error.code === "dialog_changed",
  );
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await agent.keys(), [], "nothing was pressed");
  await Deno.remove(dataDir, { recursive: true });
});
