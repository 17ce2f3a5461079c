import assert from "node:assert/strict";
import { join } from "node:path";
import { PreflightError } from "../lib/errors.ts";
import {
  checkExecutable,
  findExecutable,
  requireExecutable,
  TMUX_HINT,
} from "../lib/preflight.ts";

Deno.test("preflight: findExecutable finds sh on PATH", async () => {
  const sh = await findExecutable("sh");
  assert.ok(sh, "sh not found");
  assert.ok(sh.endsWith("/sh"));
  const info = await Deno.stat(sh);
  assert.ok(info.isFile && ((info.mode ?? 0) & 0o111) !== 0);
});

Deno.test("preflight: a missing name is undefined", async () => {
  assert.equal(
    await findExecutable(`aimax-no-such-program-${crypto.randomUUID()}`),
    undefined,
  );
});

Deno.test("preflight: explicit paths; non-executable files and dirs do not count", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-preflight-" });
  try {
    const exe = join(dir, "tool");
    await Deno.writeTextFile(exe, "#!/bin/sh\n");
    await Deno.chmod(exe, 0o755);
    const plain = join(dir, "plain");
    await Deno.writeTextFile(plain, "");
    await Deno.chmod(plain, 0o644);
    assert.equal(await findExecutable(exe), exe);
    assert.equal(await findExecutable(plain), undefined);
    assert.equal(await findExecutable(dir), undefined);
    assert.equal(await findExecutable(join(dir, "missing")), undefined);
    // PATH lookup honours the current PATH.
    const oldPath = Deno.env.get("PATH") ?? "";
    Deno.env.set("PATH", `${dir}:${oldPath}`);
    try {
      assert.equal(await findExecutable("tool"), exe);
      assert.equal(await findExecutable("plain"), undefined);
    } finally {
      Deno.env.set("PATH", oldPath);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("preflight: checkExecutable says found or missing", async () => {
  assert.equal(await checkExecutable("sh"), "found");
  assert.equal(
    await checkExecutable(`aimax-missing-${crypto.randomUUID()}`),
    "missing",
  );
});

Deno.test("preflight: requireExecutable passes for sh, fails with the hint", async () => {
  await requireExecutable("sh", "hint");
  const name = `aimax-missing-${crypto.randomUUID()}`;
  const error = await requireExecutable(name, TMUX_HINT).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(error instanceof PreflightError, String(error));
  assert.equal(error.code, "preflight_failed");
  assert.ok(error.message.includes(name));
  assert.ok(error.message.includes(TMUX_HINT));
  assert.ok(error.message.includes("AIMAX_RUN_PREFLIGHT=0"));
});
