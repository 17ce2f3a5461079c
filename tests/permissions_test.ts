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

Deno.test("permissions: a missing permission ends with a message naming the flag to add", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--allow-env",
        new URL("../mod.ts", import.meta.url).pathname,
        "list",
      ],
      env: { AIMAX_DATA_DIR: dir, AIMAX_TMUX_SOCKET: `${dir}/tmux.sock` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1);
    assert.match(stderr, /^aimax: .*--allow-(read|run)/);
    assert.match(stderr, /see README: Permissions/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("permissions: --server adds AIMAX_SERVER_TIMEOUT to --allow-env (the remote CLI's timeout), local use does not", async () => {
  const config = configFromEnv((n) =>
    ({ HOME: "/home/u", AIMAX_DATA_DIR: "/d" } as Record<string, string>)[n]
  );
  const envOf = (flags: string[]) =>
    flags.find((f) => f.startsWith("--allow-env="))?.split("=")[1].split(",") ??
      [];
  assert.ok(
    envOf(await permissionFlags(config, { server: "http://10.0.0.2:7878" }))
      .includes("AIMAX_SERVER_TIMEOUT"),
  );
  assert.ok(
    !envOf(await permissionFlags(config)).includes("AIMAX_SERVER_TIMEOUT"),
  );
});

Deno.test("permissions: --serve HOST:PORT allows that address and the private socket of the server behind the front; port 0 allows the host alone", async () => {
  const config = configFromEnv((n) =>
    ({ HOME: "/home/u", AIMAX_DATA_DIR: "/d" } as Record<string, string>)[n]
  );
  const netOf = (flags: string[]) =>
    flags.find((f) => f.startsWith("--allow-net="))?.split("=")[1].split(",");
  assert.deepEqual(
    netOf(await permissionFlags(config, { serve: "127.0.0.1:7878" })),
    ["127.0.0.1:7878", "unix:/d/serve-7878.sock"],
  );
  assert.deepEqual(
    netOf(await permissionFlags(config, { serve: "127.0.0.1:0" })),
    ["127.0.0.1"],
  );
});
