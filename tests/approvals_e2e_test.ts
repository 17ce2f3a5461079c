/**
 * Approvals bound to their dialog, on both real TUIs through the CLI: a
 * tool that needs approval shows a dialog with an id and the agent's
 * choices (`status`); `approve --dialog ID` runs the tool (its side effect
 * is there); `approve` with the id of a dialog that is gone is refused
 * (exit 5, the screen) and nothing is pressed (the next dialog is still up,
 * its tool has not run); `deny --dialog ID --reason` keeps the tool from
 * running and the reason reaches the model.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AimaxError } from "../lib/errors.ts";
import { RemoteBackend } from "../lib/remote/backend.ts";
import { create, waitReply } from "./support/e2e_suite.ts";
import { api, SERVE_WORLD, startServe, TOKEN } from "./support/serve_client.ts";
import {
  AGENTS,
  json,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

// deno-lint-ignore no-explicit-any
type Rec = any;

const needsApproval = (world: World, cmd: string) =>
  world.agent === "claude" ? `[[bash ${cmd}]]` : `[[escalate ${cmd}]]`;

/** Sends a prompt whose tool needs approval; the wait exits 5 at its dialog. */
async function ask(world: World, id: string, cmd: string): Promise<Rec> {
  const sent = await world.cli([
    "send",
    "-s",
    id,
    "-p",
    needsApproval(world, cmd),
  ]);
  assert.equal(sent.code, 0, sent.stderr);
  const waited = await world.cli(["wait", "-s", id, "--timeout", "30"]);
  assert.equal(waited.code, 5, waited.stderr + waited.stdout);
  const status = json<Rec>(await world.cli(["status", "-s", id, "--json"]));
  assert.equal(status.state, "awaiting_input");
  return status.dialogInfo;
}

async function absent(path: string): Promise<void> {
  await assert.rejects(Deno.stat(path), Deno.errors.NotFound, path);
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} approvals: approve --dialog ID runs the tool; a stale id is refused with nothing pressed; deny --dialog ID --reason keeps the tool from running and the reason reaches the model`,
    async (world) => {
      const first = join(world.root, "approved");
      const second = join(world.root, "denied");
      await create(world, "a1", "hello");
      await waitReply(world, "a1", "ack: hello");

      const asked = await ask(world, "a1", `touch ${first}`);
      assert.match(asked.id, /^[0-9a-f]{8}\.[0-9a-z]+$/);
      assert.equal(asked.purpose, "permission");
      assert.ok(String(asked.asks).includes(`touch ${first}`), asked.asks);
      assert.deepEqual(
        asked.choices.map((c: Rec) => c.kind),
        ["yes", "always", "no"],
      );
      // Stable while it is up.
      const again = json<Rec>(
        await world.cli(["status", "-s", "a1", "--json"]),
      );
      assert.equal(again.dialogInfo.id, asked.id);
      const text = await world.cli(["status", "-s", "a1"]);
      assert.ok(text.stdout.includes(asked.id), text.stdout);

      const approved = await world.cli([
        "approve",
        "-s",
        "a1",
        "--dialog",
        asked.id,
        "--json",
      ]);
      assert.equal(approved.code, 0, approved.stderr);
      const answer = JSON.parse(approved.stdout);
      assert.equal(answer.dialogId, asked.id);
      assert.equal(answer.kind, "yes");
      assert.equal(answer.choice, asked.choices[0].label);
      const done = await world.cli(["wait", "-s", "a1", "--timeout", "30"]);
      assert.equal(done.code, 0, done.stderr);
      assert.equal(done.stdout, "tool done\n");
      await Deno.stat(first); // the approved tool ran

      const next = await ask(world, "a1", `touch ${second}`);
      assert.notEqual(next.id, asked.id);
      const stale = await world.cli([
        "approve",
        "-s",
        "a1",
        "--dialog",
        asked.id,
      ]);
      assert.equal(stale.code, 5, stale.stderr);
      assert.match(stale.stderr, /no longer up/);
      assert.ok(stale.stderr.includes(`touch ${second}`), "with the screen");
      const staleJson = await world.cli([
        "approve",
        "-s",
        "a1",
        "--dialog",
        asked.id,
        "--json",
      ]);
      assert.equal(staleJson.code, 5);
      assert.equal(JSON.parse(staleJson.stdout).error.code, "dialog_changed");
      // Nothing was pressed: the dialog is still up, its tool has not run.
      await new Promise((r) => setTimeout(r, 1_000));
      const still = json<Rec>(
        await world.cli(["status", "-s", "a1", "--json"]),
      );
      assert.equal(still.state, "awaiting_input");
      assert.equal(still.dialogInfo.id, next.id);
      await absent(second);

      const denied = await world.cli([
        "deny",
        "-s",
        "a1",
        "--dialog",
        next.id,
        "--reason",
        "leave that file alone",
        "--json",
      ]);
      assert.equal(denied.code, 0, denied.stderr);
      const refusal = JSON.parse(denied.stdout);
      assert.equal(refusal.kind, "no");
      assert.equal(refusal.reason, "leave that file alone");
      await waitReply(world, "a1", "ack: leave that file alone");
      await absent(second);

      // No dialog up: refused, exit 5.
      const none = await world.cli(["approve", "-s", "a1"]);
      assert.equal(none.code, 5, none.stderr);
      assert.match(none.stderr, /shows no dialog/);
    },
    { approvals: true },
  );
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} approvals over REST and the remote client: GET shows the dialog's id; a stale id is 409 dialog_changed with the screen (nothing pressed); the id shown approves it (--always: the agent's "don't ask again" choice)`,
    async (world) => {
      const marker = join(world.root, "approved-remotely");
      const other = join(world.root, "never");
      await create(world, "r1", "hello");
      await waitReply(world, "r1", "ack: hello");
      const served = await startServe(world);
      try {
        await ask(world, "r1", `touch ${other}`);
        const gone =
          json<Rec>(await world.cli(["status", "-s", "r1", "--json"]))
            .dialogInfo.id;
        const denied = await api(served, "/api/sessions/r1/deny", {
          method: "POST",
          body: { dialog: gone },
        });
        assert.equal(denied.status, 200, JSON.stringify(denied.body));
        assert.equal(denied.body.kind, "no");
        await waitFor("the box after the refusal", async () => {
          const s = json<Rec>(
            await world.cli(["status", "-s", "r1", "--json"]),
          );
          return s.state === "idle";
        }, 30_000);

        await ask(world, "r1", `touch ${marker}`);
        const shown = await api(served, "/api/sessions/r1");
        assert.equal(shown.status, 200);
        const info = shown.body.dialogInfo;
        assert.notEqual(info.id, gone);
        assert.ok(String(info.asks).includes(`touch ${marker}`), info.asks);

        const stale = await api(served, "/api/sessions/r1/approve", {
          method: "POST",
          body: { dialog: gone },
        });
        assert.equal(stale.status, 409);
        assert.equal(stale.body.error.code, "dialog_changed");
        assert.ok(stale.body.error.screen.includes(`touch ${marker}`));

        // The remote client (what `aimax --server` runs) reads the same.
        const client = new RemoteBackend(
          { url: served.url, token: TOKEN },
          world.backend,
        );
        const state = await client.getState("r1");
        assert.equal(state.dialogInfo?.id, info.id);
        const again = await client.approve("r1", { dialog: gone }).then(
          () => assert.fail("a stale id was taken"),
          (error: AimaxError) => error,
        );
        assert.equal(again.code, "dialog_changed");
        await absent(marker);

        const approved = await client.approve("r1", {
          dialog: info.id,
          always: true,
        });
        assert.equal(approved.dialogId, info.id);
        assert.equal(approved.kind, "always");
        assert.equal(approved.choice, info.choices[1].label);
        const done = await world.cli(["wait", "-s", "r1", "--timeout", "30"]);
        assert.equal(done.code, 0, done.stderr);
        await Deno.stat(marker);
        await absent(other);
      } finally {
        await served.stop();
      }
    },
    { ...SERVE_WORLD, approvals: true },
  );
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} approvals: the next dialog with the same text gets a new id (after keys answered the first), and the first one's id is refused there`,
    async (world) => {
      const marker = join(world.root, "twice");
      await create(world, "t1", "hello");
      await waitReply(world, "t1", "ack: hello");
      const first = await ask(world, "t1", `touch ${marker}`);
      const pressed = await world.cli(["keys", "-s", "t1", "Enter"]);
      assert.equal(pressed.code, 0, pressed.stderr);
      const done = await world.cli(["wait", "-s", "t1", "--timeout", "30"]);
      assert.equal(done.code, 0, done.stderr);
      await Deno.remove(marker);

      const second = await ask(world, "t1", `touch ${marker}`);
      assert.equal(
        second.id.split(".")[0],
        first.id.split(".")[0],
        "the same text",
      );
      assert.notEqual(second.id, first.id, "another dialog");
      const stale = await world.cli([
        "approve",
        "-s",
        "t1",
        "--dialog",
        first.id,
      ]);
      assert.equal(stale.code, 5, stale.stderr);
      await absent(marker);
      const approved = await world.cli([
        "approve",
        "-s",
        "t1",
        "--dialog",
        second.id,
      ]);
      assert.equal(approved.code, 0, approved.stderr);
      const after = await world.cli(["wait", "-s", "t1", "--timeout", "30"]);
      assert.equal(after.code, 0, after.stderr);
      await Deno.stat(marker);
    },
    { approvals: true },
  );
}
