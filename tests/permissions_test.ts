import assert from "node:assert/strict";
import { configFromEnv } from "../lib/config.ts";
import { permissionFlags } from "../lib/permissions.ts";

Deno.test("permissions: tmux only, the data dir and work dirs writable, nothing else broad", async () => {
  const config = configFromEnv((n) =>
    ({ HOME: "/home/u", AIMAX_DATA_DIR: "/data" })[n]
  );
  const flags = await permissionFlags(config, { workDirs: ["/src"] });
  const get = (name: string) =>
    flags.find((f) => f.startsWith(`--allow-${name}=`))!.split("=")[1].split(
      ",",
    );
  assert.deepEqual(get("run"), ["tmux"]);
  assert.deepEqual(
    get("write").sort(),
    ["/data", "/home/u/.claude.json", "/src"].sort(),
  );
  assert.ok(get("read").includes("/home/u/.claude"));
  assert.ok(get("read").includes("/home/u/.codex"));
  assert.ok(get("env").includes("AIMAX_DATA_DIR"));
  assert.ok(get("env").includes("ANTHROPIC_API_KEY"));
  assert.ok(
    !flags.some((f) => /^--allow-(net|ffi|sys|all)/.test(f) || f === "-A"),
  );
});
