/**
 * The CLI finds a session's backend through the one lookup
 * (`lib/sessions.ts`), saying `pass -b` when two backends have the id.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { backendFor } from "../../lib/cli/backend_for.ts";
import { setConfig } from "../../lib/config.ts";
import { AimaxError, UsageError } from "../../lib/errors.ts";
import { resetBackends } from "../../lib/registry.ts";
import { StateStore } from "../../lib/state.ts";
import { bareRecord } from "../support/records.ts";
import { withTempDir } from "../support/temp_dir.ts";

Deno.test("cli backendFor: -b, else the one owner of -s; none is session_not_found, two a usage error that says pass -b", async () => {
  await withTempDir("aimax-cli-shared-", async (dir) => {
    const dataDir = join(dir, "data");
    setConfig({ dataDir });
    resetBackends();
    try {
      const store = new StateStore(dataDir);
      await store.put(bareRecord("solo", "tmux-codex", dir));
      await store.put(bareRecord("twice", "tmux-codex", dir));
      await store.put(bareRecord("twice", "tmux-claude-code", dir));
      assert.equal(
        (await backendFor({ session: ["solo"] })).name,
        "tmux-codex",
      );
      assert.equal(
        (await backendFor({ backend: "tmux-claude-code", session: "twice" }))
          .name,
        "tmux-claude-code",
      );
      await assert.rejects(
        () => backendFor({ session: "nobody" }),
        (error) =>
          error instanceof AimaxError && error.code === "session_not_found",
      );
      await assert.rejects(
        () => backendFor({ session: "twice" }),
        (error) =>
          error instanceof UsageError &&
          /^session "twice" exists in tmux-\S+ and tmux-\S+: pass -b$/.test(
            error.message,
          ),
      );
    } finally {
      setConfig({});
      resetBackends();
    }
  });
});
