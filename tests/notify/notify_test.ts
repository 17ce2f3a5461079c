/**
 * The notifier against real receivers on loopback and real commands: a
 * webhook that answers 500 twice then 200 gets the event once (three
 * tries, one id); a receiver that never answers is given up after its
 * tries and holds up neither `push` nor the other target; a 4xx is not
 * tried again; `--exec` gets the JSON on stdin and the env vars; only the
 * events asked for are delivered, in order.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PreflightError } from "../../lib/errors.ts";
import {
  desktopTarget,
  eventEnv,
  type Notification,
  notificationId,
  Notifier,
  parseTriggers,
  triggerOf,
  webhookTarget,
} from "../../lib/notify/notify.ts";
import type { AgentEvent } from "../../lib/signals/events.ts";

const FAST = {
  notifyPostMs: 300,
  notifyRetries: 3,
  notifyBackoffMs: 20,
  notifyExecMs: 2_000,
};

function event(n: number, type = "turn_completed"): AgentEvent {
  return {
    type,
    text: `answer ${n}`,
    sessionId: "s1",
    backend: "tmux-codex",
    at: `2026-12-03T00:00:0${n}.000Z`,
    offset: 100 * n,
    raw: { big: "record" },
  } as AgentEvent;
}

/** A loopback receiver that answers each request with the next status. */
function receiver(statuses: (number | "hang")[]) {
  const got: { id: string | null; body: Notification; status: number }[] = [];
  const hung: (() => void)[] = [];
  let i = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.json();
      const status = statuses[Math.min(i++, statuses.length - 1)];
      if (status === "hang") {
        await new Promise<void>((resolve) => hung.push(resolve));
        return new Response("late");
      }
      got.push({ id: request.headers.get("x-aimax-event-id"), body, status });
      return new Response(null, { status });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook?secret=x`,
    got,
    async close() {
      for (const release of hung) release();
      await server.shutdown();
    },
  };
}

Deno.test("notify: a webhook that answers 500 twice, then 200, gets the event once: three tries with one id", async () => {
  const hook = receiver([500, 500, 200]);
  const log: string[] = [];
  const notifier = new Notifier([webhookTarget(hook.url)], {
    log: (line) => log.push(line),
    timings: FAST,
  });
  const queued = notifier.push(event(1));
  assert.ok(queued);
  await notifier.drain();
  await hook.close();
  assert.deepEqual(hook.got.map((g) => g.status), [500, 500, 200]);
  assert.equal(new Set(hook.got.map((g) => g.id)).size, 1, "one id");
  assert.equal(hook.got[0].id, queued.id);
  const delivered = hook.got.filter((g) => g.status === 200);
  assert.equal(delivered.length, 1);
  assert.equal(delivered[0].body.id, "tmux-codex/s1/turn_completed/100");
  assert.equal(delivered[0].body.trigger, "turn_completed");
  assert.equal(delivered[0].body.type, "turn_completed");
  assert.equal("raw" in delivered[0].body, false, "no raw record");
  assert.equal(log.length, 2, log.join("\n"));
  assert.match(log[0], /answered HTTP 500; again in/);
  assert.doesNotMatch(log.join("\n"), /secret/, "no query in the log");
});

Deno.test("notify: a receiver that never answers is given up after its tries; push returns at once and the other target is not held up", async () => {
  const slow = receiver(["hang"]);
  const dir = await Deno.makeTempDir();
  const out = join(dir, "ids.txt");
  const log: { line: string; at: number }[] = [];
  const notifier = new Notifier([
    webhookTarget(slow.url),
    { kind: "exec", command: `echo "$AIMAX_EVENT_ID" >> "${out}"` },
  ], {
    log: (line) => log.push({ line, at: performance.now() }),
    timings: { ...FAST, notifyRetries: 1 },
  });
  const started = performance.now();
  const ids = [1, 2, 3].map((n) => notifier.push(event(n))!.id);
  assert.ok(performance.now() - started < 50, "push does not wait");
  // The command got all three while the webhook still waits on the first.
  let execDone = Infinity;
  while (performance.now() - started < 5_000) {
    const text = await Deno.readTextFile(out).catch(() => "");
    if (text.trim().split("\n").length === 3) {
      execDone = performance.now();
      assert.deepEqual(text.trim().split("\n"), ids);
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await notifier.drain();
  await slow.close();
  const gaveUp = log.filter((l) => /given up/.test(l.line));
  assert.equal(gaveUp.length, 3, log.map((l) => l.line).join("\n"));
  assert.match(gaveUp[0].line, /no answer within 0.3 s/);
  assert.ok(execDone < gaveUp[0].at, "the command was not held up");
  assert.ok(ids.every((id) => gaveUp.some((l) => l.line.includes(id))));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("notify: a 4xx is not tried again", async () => {
  const hook = receiver([404, 200]);
  const log: string[] = [];
  const notifier = new Notifier([webhookTarget(hook.url)], {
    log: (line) => log.push(line),
    timings: FAST,
  });
  notifier.push(event(1));
  await notifier.drain();
  await hook.close();
  assert.deepEqual(hook.got.map((g) => g.status), [404]);
  assert.match(log[0], /answered HTTP 404; given up/);
});

Deno.test("notify: --exec gets the event's JSON on stdin and the env vars, once per event, in order; other events are not delivered", async () => {
  const dir = await Deno.makeTempDir();
  const out = join(dir, "out.txt");
  const notifier = new Notifier([{
    kind: "exec",
    command:
      `{ printf '%s|%s|%s|%s|' "$AIMAX_EVENT" "$AIMAX_SESSION_ID" "$AIMAX_EVENT_ID" "$AIMAX_EVENT_TEXT"; cat; } >> "${out}"`,
  }], { on: ["awaiting_input", "exited"], log: () => {}, timings: FAST });
  assert.equal(notifier.push(event(1)), undefined, "not asked for");
  notifier.push({
    type: "awaiting_input",
    text: "run ls?",
    dialogInfo: { id: "3f9a1c0e.abc", purpose: "permission", choices: [] },
    sessionId: "s1",
    backend: "tmux-claude-code",
    at: "2026-12-03T00:00:00.000Z",
  });
  notifier.push({
    type: "state",
    from: "idle",
    to: "exited",
    reason: "the agent exited",
    sessionId: "s1",
    backend: "tmux-claude-code",
    at: "2026-12-03T00:00:01.000Z",
  });
  await notifier.drain();
  const lines = (await Deno.readTextFile(out)).trim().split("\n");
  assert.equal(lines.length, 2, lines.join("\n"));
  const [asked, exited] = lines.map((l) => l.split("|"));
  assert.deepEqual(asked.slice(0, 4), [
    "awaiting_input",
    "s1",
    "tmux-claude-code/s1/awaiting_input/2026-12-03T00:00:00.000Z/3f9a1c0e.abc",
    "run ls?",
  ]);
  assert.equal(JSON.parse(asked[4]).dialogInfo.id, "3f9a1c0e.abc");
  assert.equal(exited[0], "exited");
  assert.equal(JSON.parse(exited.slice(4).join("|")).to, "exited");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("notify: a command that fails is tried again, then given up", async () => {
  const log: string[] = [];
  const notifier = new Notifier([{ kind: "exec", command: "exit 3" }], {
    log: (line) => log.push(line),
    timings: { ...FAST, notifyRetries: 1 },
  });
  notifier.push(event(1));
  await notifier.drain();
  assert.deepEqual(log.map((l) => l.replace(/^exec: \S+: /, "")), [
    "exited 3; again in 0.02 s",
    "exited 3; given up",
  ]);
});

Deno.test("notify: --on names events and states; anything else is refused", () => {
  assert.deepEqual(parseTriggers("awaiting_input, exited"), [
    "awaiting_input",
    "exited",
  ]);
  assert.throws(() => parseTriggers("finished"), /"finished" is not an event/);
  assert.throws(() => parseTriggers(" , "), /names no event/);
  const on = new Set(parseTriggers("exited,tool_call"));
  assert.equal(triggerOf(event(1), on), undefined);
  assert.equal(
    triggerOf({ ...event(1), type: "tool_call", name: "Bash", input: {} }, on),
    "tool_call",
  );
  const entered = (to: "awaiting_input" | "exited"): AgentEvent => ({
    type: "state",
    from: "working",
    to,
    reason: "",
    sessionId: "s",
    backend: "b",
    at: "t",
  });
  const asked = new Set(parseTriggers("awaiting_input,exited"));
  assert.equal(triggerOf(entered("exited"), asked), "exited");
  // Its own event tells it, with what is asked: not the state's.
  assert.equal(triggerOf(entered("awaiting_input"), asked), undefined);
  assert.throws(() => webhookTarget("ftp://x/"), /http\(s\) URL/);
  assert.throws(() => webhookTarget("not a url"), /http\(s\) URL/);
  // What a notifier delivers (as `serve --notify` prints it).
  const log = () => {};
  assert.deepEqual(new Notifier([], { log }).on, [
    "awaiting_input",
    "turn_completed",
    "exited",
  ]);
  assert.deepEqual(new Notifier([], { log, on: ["exited"] }).on, ["exited"]);
});

Deno.test("notify: ids tell events apart and stay the same for one event", () => {
  assert.equal(notificationId(event(1)), notificationId(event(1)));
  assert.notEqual(notificationId(event(1)), notificationId(event(2)));
  assert.notEqual(
    notificationId(event(1)),
    notificationId(event(1, "assistant_message")),
  );
  const env = eventEnv({
    id: "x",
    trigger: "turn_completed",
    type: "turn_completed",
    text: "done",
    sessionId: "s",
    backend: "b",
    at: "t",
  });
  assert.equal(env.AIMAX_EVENT_TEXT, "done");
  assert.equal(env.AIMAX_DIALOG_ID, undefined);
});

Deno.test("notify: --desktop runs notify-send with a title and the text; a missing notify-send is a clear preflight error", async () => {
  const dir = await Deno.makeTempDir();
  const bin = join(dir, "notify-send");
  const out = join(dir, "args.txt");
  await Deno.writeTextFile(
    bin,
    `#!/bin/sh\n[ "$1" = --version ] && exit 0\nprintf '%s\\n' "$@" >> "${out}"\n`,
  );
  await Deno.chmod(bin, 0o755);
  const target = await desktopTarget(bin);
  const notifier = new Notifier([target], { log: () => {}, timings: FAST });
  notifier.push({
    type: "awaiting_input",
    text: "run ls?",
    sessionId: "demo",
    backend: "tmux-codex",
    at: "t",
  });
  await notifier.drain();
  assert.deepEqual((await Deno.readTextFile(out)).trim().split("\n"), [
    "--app-name=aimax",
    "aimax: demo waits on you",
    "run ls?",
  ]);
  await assert.rejects(
    desktopTarget(join(dir, "missing-notify-send")),
    PreflightError,
    "apt-get install libnotify-bin",
  );
  await Deno.remove(dir, { recursive: true });
});
