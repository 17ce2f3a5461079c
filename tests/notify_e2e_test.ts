/**
 * `aimax notify` on both real TUIs: a webhook on loopback that answers 500
 * twice before it takes each event gets exactly one `awaiting_input` (with
 * the command and the dialog's id) and one `turn_completed` (with the
 * answer), each delivered once with one id across its tries; `--exec` runs
 * its command per event (awaiting_input, turn_completed, exited) with the
 * event in env vars and on stdin.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { configFromEnv } from "../lib/config.ts";
import { permissionFlags } from "../lib/permissions.ts";
import { create, waitReply } from "./support/e2e_suite.ts";
import {
  AGENTS,
  followJsonLines,
  json,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

// deno-lint-ignore no-explicit-any
type Rec = any;

const needsApproval = (world: World, cmd: string) =>
  world.agent === "claude" ? `[[bash ${cmd}]]` : `[[escalate ${cmd}]]`;

/** The scoped flags plus running `sh` (--exec) and loopback (--webhook). */
async function notifyFlags(world: World): Promise<string[]> {
  const flags = await permissionFlags(
    configFromEnv((name) => world.env[name]),
    { workDirs: [world.root] },
  );
  return [
    ...flags.map((f) => f.startsWith("--allow-run=") ? `${f},sh` : f),
    "--allow-net=127.0.0.1",
  ];
}

/** A receiver that answers each event's first two tries 500, then 200. */
function flakyReceiver() {
  const tries = new Map<string, number>();
  const taken: Rec[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.json();
      const id = request.headers.get("x-aimax-event-id") ?? "";
      assert.equal(body.id, id);
      const n = (tries.get(id) ?? 0) + 1;
      tries.set(id, n);
      if (n <= 2) return new Response("not yet", { status: 500 });
      taken.push(body);
      return new Response(null, { status: 204 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/aimax`,
    tries,
    taken,
    close: () => server.shutdown(),
  };
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} notify: --webhook gets one awaiting_input with the command and one turn_completed with the answer, each once although it answered 500 twice; --exec runs per event`,
    async (world) => {
      const marker = join(world.root, "notified-marker");
      const execLog = join(world.root, "exec.log");
      await create(world, "n1", "hello");
      await waitReply(world, "n1", "ack: hello");
      const hook = flakyReceiver();
      const notifier = world.spawn([
        "notify",
        "--webhook",
        hook.url,
        "--exec",
        `printf '%s %s ' "$AIMAX_EVENT" "$AIMAX_SESSION_ID" >> '${execLog}'; head -c 6 >> '${execLog}'; echo >> '${execLog}'`,
        "--json",
      ]);
      const printed = followJsonLines<Rec>(notifier);
      const stderr: string[] = [];
      const reading = (async () => {
        for await (
          const chunk of notifier.stderr.pipeThrough(new TextDecoderStream())
        ) stderr.push(chunk);
      })();
      try {
        await waitFor(
          "notify to follow",
          () => stderr.join("").includes("notifying"),
        );
        const sent = await world.cli([
          "send",
          "-s",
          "n1",
          "-p",
          needsApproval(world, `touch ${marker}`),
        ]);
        assert.equal(sent.code, 0, sent.stderr);
        const asked = await world.cli(["wait", "-s", "n1", "--timeout", "30"]);
        assert.equal(asked.code, 5, asked.stderr);
        const status = json<Rec>(
          await world.cli(["status", "-s", "n1", "--json"]),
        );
        await waitFor(
          "the webhook to take awaiting_input",
          () => hook.taken.some((e) => e.type === "awaiting_input"),
          30_000,
        );
        const approved = await world.cli([
          "approve",
          "-s",
          "n1",
          "--dialog",
          status.dialogInfo.id,
        ]);
        assert.equal(approved.code, 0, approved.stderr);
        await waitFor(
          "the webhook to take turn_completed",
          () => hook.taken.some((e) => e.type === "turn_completed"),
          30_000,
        );
        await Deno.stat(marker);
        const stopped = await world.cli(["stop", "-s", "n1"]);
        assert.equal(stopped.code, 0, stopped.stderr);
        await waitFor(
          "the webhook to take exited",
          () => hook.taken.some((e) => e.trigger === "exited"),
          30_000,
        );

        const of = (type: string) => hook.taken.filter((e) => e.type === type);
        assert.equal(
          of("awaiting_input").length,
          1,
          JSON.stringify(hook.taken),
        );
        const ask = of("awaiting_input")[0];
        assert.equal(ask.sessionId, "n1");
        assert.ok(ask.text.includes(`touch ${marker}`), ask.text);
        assert.equal(ask.dialogInfo.id, status.dialogInfo.id);
        assert.equal(
          of("turn_completed").length,
          1,
          JSON.stringify(hook.taken),
        );
        assert.equal(of("turn_completed")[0].text, "tool done");
        // Each delivered once, after exactly three tries with one id.
        assert.equal(
          new Set(hook.taken.map((e) => e.id)).size,
          hook.taken.length,
        );
        for (const e of hook.taken) assert.equal(hook.tries.get(e.id), 3, e.id);

        await waitFor("the command to run per event", async () => {
          const lines = (await Deno.readTextFile(execLog).catch(() => ""))
            .trim().split("\n");
          return lines.length >= 3 && lines;
        });
        const lines = (await Deno.readTextFile(execLog)).trim().split("\n");
        assert.deepEqual(lines, [
          'awaiting_input n1 {"id":',
          'turn_completed n1 {"id":',
          'exited n1 {"id":',
        ]);
        // It printed one line per event delivered.
        assert.deepEqual(
          printed.entries.map((e) => e.trigger),
          ["awaiting_input", "turn_completed", "exited"],
        );
      } finally {
        notifier.kill("SIGTERM");
        await notifier.status;
        await printed.done;
        await reading;
        await hook.close();
      }
    },
    { approvals: true, permissions: notifyFlags },
  );
}
