/**
 * What the layer costs in tmux processes (counts, not times): `status` one
 * tmux call, `list` one whatever the number of sessions, a
 * `send` to an idle session at most three (when the TUI takes its Enter;
 * pressing Enter again costs more, by design). tmux is wrapped through
 * AIMAX_TMUX_BIN by a script that logs every invocation.
 */
import assert from "node:assert/strict";
import { create, waitIdle, waitReply } from "./support/e2e_suite.ts";
import { makeWorld } from "./support/world.ts";
import { hasAgent } from "./support/world.ts";
import { tmuxCounter } from "./support/tmux_counter.ts";

Deno.test({
  name:
    "tmux calls: status 1, list 1 with 4 sessions, send to an idle session ≤ 3",
  ignore: !hasAgent("claude"),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "aimax-count-" });
    const counter = await tmuxCounter(dir);
    const world = await makeWorld("claude", {
      env: { AIMAX_TMUX_BIN: counter.wrapper },
    });
    try {
      for (const id of ["c1", "c2", "c3", "c4"]) {
        await create(world, id, `hello ${id}`);
      }
      await waitReply(world, "c4", "ack: hello c4");
      await waitIdle(world, "c1");
      const calls = async (args: string[]) => {
        await counter.reset();
        const result = await world.cli(args);
        assert.equal(result.code, 0, result.stderr);
        return await counter.calls();
      };
      const status = await calls(["status", "-s", "c1", "--json"]);
      assert.equal(status.length, 1, status.join("\n"));
      const list = await calls(["list", "--json"]);
      assert.equal(list.length, 1, list.join("\n"));
      // Claude Code now and then drops an Enter (or reads it late): aimax
      // then looks again and presses Enter again, which costs more calls
      // by design. The count is the one of a send whose Enter was taken,
      // so a send with a second Enter is set aside and another one counted.
      const repressed: string[][] = [];
      for (let i = 0; i < 3; i++) {
        const send = await calls(["send", "-s", "c1", "-p", `counted ${i}`]);
        await waitReply(world, "c1", `ack: counted ${i}`);
        const again = send.some((call) =>
          /send-keys -t %\d+ Enter$/.test(call) &&
          !call.includes("paste-buffer")
        );
        if (!again) {
          assert.ok(send.length <= 3, send.join("\n"));
          break;
        }
        repressed.push(send);
      }
      assert.ok(
        repressed.length < 3,
        `every send needed Enter again:\n${repressed.flat().join("\n")}`,
      );
    } finally {
      await world.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
