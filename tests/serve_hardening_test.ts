/**
 * `aimax serve` against hostile or unlucky input on the real TUIs (issue
 * 26): a session whose agent shows no input box (Claude Code in shell mode
 * after the key `!`) is answered 409 with the screen, not 500; a prompt
 * that would end the agent (`/exit`) is a 400 and the agent runs on.
 */
import assert from "node:assert/strict";
import { api, SERVE_WORLD, withServe } from "./support/serve_client.ts";
import { worldTest } from "./support/world.ts";

worldTest(
  "claude",
  "serve: a send while Claude Code is in shell mode (after the key !) is a 409 no_input_box with the screen and how to leave it; nothing was typed, and after Escape the send goes through",
  async (world) => {
    await withServe(world, async (served) => {
      const created = await api(served, "/api/sessions", {
        method: "POST",
        body: {
          backend: world.backend,
          sessionId: "sh1",
          cwd: world.cwd,
          prompt: "hello",
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const idle = await api(served, "/api/sessions/sh1/wait", {
        method: "POST",
        body: { timeout: 60 },
      });
      assert.equal(idle.status, 200, JSON.stringify(idle.body));
      const bang = await api(served, "/api/sessions/sh1/keys", {
        method: "POST",
        body: { keys: ["!"] },
      });
      assert.equal(bang.status, 200, JSON.stringify(bang.body));
      // No wait for the redraw: `keys` returns once the screen shows the
      // key, so a send right after reads shell mode (before, it could read
      // the box as it was, and the prompt would have run as a command).
      const sent = await api(served, "/api/sessions/sh1/send", {
        method: "POST",
        body: { prompt: "after the bang" },
      });
      assert.equal(sent.status, 409, JSON.stringify(sent.body));
      assert.equal(sent.body.error.code, "no_input_box");
      assert.match(sent.body.error.message, /shows no input box .*Escape/);
      assert.equal(typeof sent.body.error.screen, "string");
      assert.doesNotMatch(sent.body.error.screen, /after the bang/);
      assert.match(sent.body.error.screen, /^!/m, "shell mode on screen");
      const escape = await api(served, "/api/sessions/sh1/keys", {
        method: "POST",
        body: { keys: ["Escape"] },
      });
      assert.equal(escape.status, 200, JSON.stringify(escape.body));
      const again = await api(served, "/api/sessions/sh1/send", {
        method: "POST",
        body: { prompt: "after escape", wait: true, timeout: 60 },
      });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.match(again.body.text, /after escape/);
      // A prompt that would end the agent is refused before a key is
      // pressed (it used to kill the agent and answer 500 agent_screen).
      for (const prompt of ["/exit", "  /quit  "]) {
        const exit = await api(served, "/api/sessions/sh1/send", {
          method: "POST",
          body: { prompt },
        });
        assert.equal(exit.status, 400, JSON.stringify(exit.body));
        assert.equal(exit.body.error.code, "invalid_input");
        assert.match(
          exit.body.error.message,
          /would end Claude Code.*aimax stop/,
        );
      }
      const status = await api(served, "/api/sessions/sh1");
      assert.equal(status.status, 200, JSON.stringify(status.body));
      assert.equal(status.body.alive, true, JSON.stringify(status.body));
    });
  },
  SERVE_WORLD,
);
