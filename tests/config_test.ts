import assert from "node:assert/strict";
import {
  CONFIG_ENV_VARS,
  configFromEnv as configOf,
  describeConfig,
  type EnvReader,
  getConfig,
  setConfig,
  type TmuxAgentsConfig,
} from "../lib/config.ts";

/** A config with each agent's section spread beside aimax's own keys. */
function flat(config: TmuxAgentsConfig): Record<string, string | boolean> {
  const { agents, ...own } = config;
  return Object.assign({}, own, ...Object.values(agents));
}

function configFromEnv(env?: EnvReader): Record<string, string | boolean> {
  return flat(configOf(env));
}

function reader(vars: Record<string, string>): EnvReader {
  return (name) => Object.hasOwn(vars, name) ? vars[name] : undefined;
}

Deno.test("config: defaults derive from HOME", () => {
  const c = configFromEnv(reader({ HOME: "/home/me" }));
  assert.equal(c.home, "/home/me");
  assert.equal(c.dataDir, "/home/me/.local/share/aimax");
  assert.equal(c.codexHome, "/home/me/.codex");
  assert.equal(c.claudeConfig, "/home/me/.claude.json");
  assert.equal(c.claudeSettings, "/home/me/.claude/settings.api.json");
  assert.equal(c.claudeProjectsDir, "/home/me/.claude/projects");
  assert.equal(c.codexConfig, "/home/me/.codex/config.toml");
  assert.equal(c.codexStateDb, "/home/me/.codex/state_5.sqlite");
  assert.equal(c.codexSessionsDir, "/home/me/.codex/sessions");
  assert.equal(c.rightcodeEnvFile, "/home/me/.codex/secrets/rightcode.env");
  assert.equal(c.proxyEnvsBash, "/home/me/proxy_envs.bash");
  assert.equal(c.proxyChainsConf, "/home/me/proxy_claude.conf");
  assert.equal(c.claudeHub, "imac_claude_code_agent_hub");
  assert.equal(c.codexHub, "imac_codex_agent_hub");
  assert.equal(c.codexDefaultModel, "gpt-5.5");
  assert.equal(c.useProxyDefault, false);
  assert.equal(c.runPreflight, true);
  assert.equal(c.tmuxSocket, "");
  assert.equal(c.tmuxBin, "tmux");
  assert.equal(c.claudeBin, "claude");
  assert.equal(c.codexBin, "codex");
});

Deno.test("config: XDG_DATA_HOME and CODEX_HOME move their defaults", () => {
  const c = configFromEnv(
    reader({ HOME: "/h", XDG_DATA_HOME: "/xdg", CODEX_HOME: "/cx" }),
  );
  assert.equal(c.dataDir, "/xdg/aimax");
  assert.equal(c.codexHome, "/cx");
  assert.equal(c.codexConfig, "/cx/config.toml");
  assert.equal(c.codexStateDb, "/cx/state_5.sqlite");
  assert.equal(c.codexSessionsDir, "/cx/sessions");
  assert.equal(c.rightcodeEnvFile, "/cx/secrets/rightcode.env");
  // HOME-derived ones are unaffected.
  assert.equal(c.claudeConfig, "/h/.claude.json");
});

Deno.test("config: AIMAX_HOME beats HOME; AIMAX_CODEX_HOME beats CODEX_HOME", () => {
  const c = configFromEnv(
    reader({
      HOME: "/h",
      AIMAX_HOME: "/ah",
      CODEX_HOME: "/cx",
      AIMAX_CODEX_HOME: "/acx",
    }),
  );
  assert.equal(c.home, "/ah");
  assert.equal(c.dataDir, "/ah/.local/share/aimax");
  assert.equal(c.claudeConfig, "/ah/.claude.json");
  assert.equal(c.codexHome, "/acx");
  assert.equal(c.codexConfig, "/acx/config.toml");
});

Deno.test("config: empty variables count as unset", () => {
  const c = configFromEnv(
    reader({ HOME: "/h", XDG_DATA_HOME: "", AIMAX_CLAUDE_HUB: "" }),
  );
  assert.equal(c.dataDir, "/h/.local/share/aimax");
  assert.equal(c.claudeHub, "imac_claude_code_agent_hub");
});

Deno.test("config: no HOME at all falls back to /", () => {
  const c = configFromEnv(reader({}));
  assert.equal(c.home, "/");
  assert.equal(c.dataDir, "/.local/share/aimax");
});

Deno.test("config: every AIMAX_* override changes exactly its key", () => {
  const base = configFromEnv(reader({ HOME: "/h" }));
  const keys = new Set<string>();
  for (const { env, key } of CONFIG_ENV_VARS) {
    assert.ok(env.startsWith("AIMAX_"), env);
    keys.add(key);
    const isBool = typeof base[key] === "boolean";
    const value = isBool ? (base[key] ? "0" : "1") : `/override/${env}`;
    const c = configFromEnv(reader({ HOME: "/h", [env]: value }));
    if (isBool) {
      assert.equal(c[key], !base[key], `${env} did not flip ${key}`);
    } else {
      assert.equal(c[key], value, `${env} did not set ${key}`);
    }
    // Keys derived from the overridden one may follow it; any other key must not move.
    const derived: Partial<Record<string, string[]>> = {
      home: [
        "dataDir",
        "codexHome",
        "claudeConfig",
        "claudeSettings",
        "claudeProjectsDir",
        "codexConfig",
        "codexStateDb",
        "codexSessionsDir",
        "rightcodeEnvFile",
        "proxyEnvsBash",
        "proxyChainsConf",
        "copilotHome" as keyof TmuxAgentsConfig,
        "geminiHome" as keyof TmuxAgentsConfig,
      ],
      codexHome: [
        "codexConfig",
        "codexStateDb",
        "codexSessionsDir",
        "rightcodeEnvFile",
      ],
    };
    for (const other of Object.keys(base)) {
      if (other === key || derived[key]?.includes(other)) continue;
      assert.equal(c[other], base[other], `${env} also changed ${other}`);
    }
  }
  // The table covers every config key.
  assert.deepEqual([...keys].sort(), Object.keys(base).sort());
});

Deno.test("config: boolean spellings", () => {
  for (const v of ["1", "true", "TRUE", "yes", "on", " On "]) {
    assert.equal(
      configFromEnv(reader({ AIMAX_USE_PROXY: v })).useProxyDefault,
      true,
      v,
    );
  }
  for (const v of ["0", "false", "no", "off", "OFF"]) {
    assert.equal(
      configFromEnv(reader({ AIMAX_RUN_PREFLIGHT: v })).runPreflight,
      false,
      v,
    );
  }
});

Deno.test("config: bad boolean values are rejected, naming the variable", () => {
  for (const env of ["AIMAX_USE_PROXY", "AIMAX_RUN_PREFLIGHT"]) {
    for (const v of ["2", "maybe", "yess", "-1", "tru"]) {
      assert.throws(
        () => configFromEnv(reader({ [env]: v })),
        (e: unknown) =>
          e instanceof TypeError && e.message.includes(env) &&
          e.message.includes(v),
        `${env}=${v}`,
      );
    }
  }
});

Deno.test("config: setConfig overrides fields, getConfig returns it", () => {
  const set = setConfig({ dataDir: "/tmp/aimax-test-data", tmuxBin: "xt" });
  try {
    assert.equal(set.dataDir, "/tmp/aimax-test-data");
    assert.equal(set.tmuxBin, "xt");
    assert.strictEqual(getConfig(), set);
    // Fields left out keep their environment-derived values.
    const fromEnv = configFromEnv();
    assert.deepEqual(flat(set), {
      ...fromEnv,
      dataDir: "/tmp/aimax-test-data",
      tmuxBin: "xt",
    });
    const again = setConfig({ runPreflight: false });
    assert.equal(getConfig().runPreflight, false);
    assert.equal(again.dataDir, fromEnv.dataDir, "earlier override persisted");
  } finally {
    setConfig({});
  }
});

Deno.test("config: describeConfig has one row per variable with values", () => {
  const env = reader({ HOME: "/h", AIMAX_CODEX_BIN: "/opt/codex" });
  const whole = configOf(env);
  const config = flat(whole);
  const rows = describeConfig(whole, env);
  assert.equal(rows.length, CONFIG_ENV_VARS.length);
  for (const [i, row] of rows.entries()) {
    assert.equal(row.env, CONFIG_ENV_VARS[i].env);
    assert.equal(row.key, CONFIG_ENV_VARS[i].key);
    assert.equal(row.agent, CONFIG_ENV_VARS[i].agent);
    assert.equal(row.defaultText, CONFIG_ENV_VARS[i].defaultText);
    assert.equal(row.value, config[row.key]);
  }
  // An agent's rows are its section's, named with its backend.
  for (const row of rows.filter((r) => r.agent)) {
    assert.ok(Object.hasOwn(whole.agents[row.agent!], row.key), row.env);
  }
  const codex = rows.find((r) => r.env === "AIMAX_CODEX_BIN")!;
  assert.equal(codex.value, "/opt/codex");
  assert.equal(codex.envValue, "/opt/codex");
  const hub = rows.find((r) => r.env === "AIMAX_CLAUDE_HUB")!;
  assert.equal(hub.envValue, undefined);
  assert.equal(hub.value, "imac_claude_code_agent_hub");
  const proxy = rows.find((r) => r.key === "useProxyDefault")!;
  assert.equal(proxy.value, false);
});

Deno.test("config: the README's table lists the variables of aimax and of each agent's section, in CONFIG_ENV_VARS order", async () => {
  const readme = await Deno.readTextFile(
    new URL("../README.md", import.meta.url),
  );
  const table = readme.slice(readme.indexOf("## Configuration"));
  const listed = [...table.matchAll(/^\| `(AIMAX_\w+)`/gm)].map((m) => m[1]);
  assert.deepEqual(listed, CONFIG_ENV_VARS.map((v) => v.env));
});
