import assert from "node:assert/strict";
import { forwardEnv, proxyArgv, screenLines } from "../../lib/agents/agent.ts";
import { configFromEnv } from "../../lib/config.ts";

Deno.test("agent: forwardEnv copies listed names and prefixes only", () => {
  Deno.env.set("AIMAX_TEST_FWD_X", "1");
  Deno.env.set("ZZ_AIMAX_NOT_FORWARDED", "1");
  try {
    const env = forwardEnv(["PATH"], ["AIMAX_TEST_FWD_"]);
    assert.equal(env.PATH, Deno.env.get("PATH"));
    assert.equal(env.AIMAX_TEST_FWD_X, "1");
    assert.equal(env.ZZ_AIMAX_NOT_FORWARDED, undefined);
  } finally {
    Deno.env.delete("AIMAX_TEST_FWD_X");
    Deno.env.delete("ZZ_AIMAX_NOT_FORWARDED");
  }
});

Deno.test("agent: the proxy wrapper is a constant script with paths as arguments", async () => {
  const config = configFromEnv((n) => ({ HOME: "/h" })[n]);
  const argv = proxyArgv(config, ["claude", "--model=$(x)"]);
  assert.equal(argv[0], "bash");
  assert.ok(!argv[2].includes("/h/"), "no path inside the script");
  assert.deepEqual(argv.slice(3), [
    "aimax-proxy",
    "/h/proxy_envs.bash",
    "/h/proxy_claude.conf",
    "claude",
    "--model=$(x)",
  ]);
  // Run it with a fake proxychains4 that prints its argv: the arguments pass through untouched.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/proxychains4`,
      '#!/bin/sh\nfor a in "$@"; do echo "[$a]"; done\n',
      { mode: 0o755 },
    );
    await Deno.writeTextFile(`${dir}/envs.bash`, "export FROM_ENV_FILE=yes\n");
    const run = proxyArgv({
      ...config,
      proxyEnvsBash: `${dir}/envs.bash`,
      proxyChainsConf: "/c.conf",
    }, ["echo", "$(touch pwned)"]);
    const out = await new Deno.Command(run[0], {
      args: run.slice(1),
      cwd: dir,
      env: { PATH: `${dir}:${Deno.env.get("PATH")}` },
      stdout: "piped",
    }).output();
    assert.equal(
      new TextDecoder().decode(out.stdout),
      "[-q]\n[-f]\n[/c.conf]\n[echo]\n[$(touch pwned)]\n",
    );
    await assert.rejects(Deno.stat(`${dir}/pwned`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("agent: screenLines trims trailing blanks and empty bottom lines", () => {
  assert.deepEqual(screenLines("a  \nb\n\n  \n"), ["a", "b"]);
});
