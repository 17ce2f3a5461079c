/**
 * `TmuxAgentBackend`'s own checks, before any tmux call: the keys a
 * `sendKeys` presses.
 */
import assert from "node:assert/strict";
import { claudeProfile } from "../../lib/agents/claude.ts";
import {
  MAX_KEYS,
  MAX_KEYS_CHARS,
  TmuxAgentBackend,
  validateKeys,
} from "../../lib/backend/backend.ts";
import { configFromEnv } from "../../lib/config.ts";
import { InputError } from "../../lib/errors.ts";

Deno.test("keys: at most MAX_KEYS (64) keys and MAX_KEYS_CHARS (1024) characters; 40,000 Escapes are refused at once, the message short and without the list", () => {
  assert.equal(MAX_KEYS, 64);
  assert.equal(MAX_KEYS_CHARS, 1024);
  assert.deepEqual(
    validateKeys(Array(64).fill("Escape")),
    Array(64).fill("Escape"),
  );
  validateKeys(["Enter", "y", "C-c", "M-S-Up", "F12", "BTab"]);
  const started = performance.now();
  for (
    const keys of [
      Array(65).fill("Enter"),
      Array(40_000).fill("Escape"),
      // Over the length cap.
      ["Enter", "Up".repeat(600)],
      // One key, as long as a body allows.
      [`${"C-".repeat(100_000)}a`],
      ["x".repeat(5_000)],
    ]
  ) {
    assert.throws(
      () => validateKeys(keys),
      (error: Error) => {
        assert.ok(error instanceof InputError);
        assert.ok(error.message.length < 200, error.message.slice(0, 300));
        assert.doesNotMatch(
          error.message,
          /Escape Escape|C-C-C-C-C-C|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/,
        );
        return true;
      },
    );
  }
  assert.ok(performance.now() - started < 500, "refused at once");
  assert.throws(() => validateKeys([]), /no keys/);
  assert.throws(() => validateKeys([1 as unknown as string]), InputError);
  assert.throws(() => validateKeys(["C-C-C-C-a"]), /not a tmux key name/);
  assert.throws(() => validateKeys(["Up".repeat(600)]), /1024 characters/);
});

Deno.test("keys: sendKeys refuses a list over the cap before it looks the session up or takes its lock", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const backend = new TmuxAgentBackend(
      claudeProfile,
      configFromEnv((name) =>
        ({ AIMAX_DATA_DIR: dataDir, HOME: dataDir })[name]
      ),
    );
    await assert.rejects(
      () => backend.sendKeys("nobody", Array(40_000).fill("Escape")),
      InputError,
    );
    // Nothing was written: no lock, no state.
    assert.deepEqual([...Deno.readDirSync(dataDir)], []);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
