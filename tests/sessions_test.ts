/**
 * The one home of the cross-backend session lookup: an id one backend has
 * names that backend; none is `session_not_found`; several ask for the
 * backend, in the caller's words (the library's or the CLI's).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { setConfig } from "../lib/config.ts";
import { AimaxError, InputError } from "../lib/errors.ts";
import { resetBackends } from "../lib/registry.ts";
import { backendOf, ownerOf } from "../lib/sessions.ts";
import { StateStore } from "../lib/state.ts";
import { bareRecord } from "./support/records.ts";
import { withTempDir } from "./support/temp_dir.ts";

Deno.test("sessions: ownerOf names the one backend that has the id; none is session_not_found; two ask for the backend in the caller's words", async () => {
  await withTempDir("aimax-sessions-", async (dir) => {
    const dataDir = join(dir, "data");
    setConfig({ dataDir });
    resetBackends();
    try {
      const store = new StateStore(dataDir);
      await store.put(bareRecord("solo", "tmux-codex", dir));
      await store.put(bareRecord("twice", "tmux-codex", dir));
      await store.put(bareRecord("twice", "tmux-claude-code", dir));

      assert.equal(await ownerOf("solo"), "tmux-codex");
      assert.equal((await backendOf("solo")).name, "tmux-codex");
      assert.equal(
        (await backendOf("twice", { backend: "tmux-claude-code" })).name,
        "tmux-claude-code",
      );
      await assert.rejects(
        () => ownerOf("nobody"),
        (error) =>
          error instanceof AimaxError &&
          error.code === "session_not_found" &&
          error.message === 'no session named "nobody" (see `aimax list`)',
      );
      await assert.rejects(
        () => backendOf("twice"),
        (error) =>
          error instanceof InputError &&
          /^session "twice" exists in tmux-\S+ and tmux-\S+: name the backend$/
            .test(error.message),
      );
      class Mine extends Error {}
      await assert.rejects(
        () =>
          ownerOf("twice", {
            ambiguous: (owners) => new Mine(owners.toSorted().join(",")),
          }),
        (error) =>
          error instanceof Mine &&
          error.message === "tmux-claude-code,tmux-codex",
      );
      // A malformed id is bad input, before any lookup.
      await assert.rejects(() => backendOf("bad id!"), InputError);
    } finally {
      setConfig({});
      resetBackends();
    }
  });
});
