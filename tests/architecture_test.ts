/**
 * The layout's rules that a test can hold: no circular imports (types
 * included), and agents known in one place.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { AGENT_PROFILES } from "../lib/agents/mod.ts";
import { CONFIG_ENV_VARS } from "../lib/config.ts";
import { ROOT } from "./support/world.ts";

interface InfoModule {
  specifier: string;
  dependencies?: {
    code?: { specifier?: string };
    type?: { specifier?: string };
  }[];
}

async function graph(entry: string): Promise<Map<string, string[]>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", join(ROOT, entry)],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  const local = (s?: string) => s?.startsWith("file://") ? [s] : [];
  return new Map(
    (info.modules as InfoModule[]).filter((m) =>
      m.specifier.startsWith("file://")
    ).map((m) => [
      m.specifier,
      (m.dependencies ?? []).flatMap((d) => [
        ...local(d.code?.specifier),
        ...local(d.type?.specifier),
      ]),
    ]),
  );
}

function cycles(g: Map<string, string[]>): string[][] {
  const state = new Map<string, 1 | 2>();
  const found: string[][] = [];
  const visit = (node: string, path: string[]) => {
    state.set(node, 1);
    path.push(node);
    for (const next of g.get(node) ?? []) {
      if (state.get(next) === 1) {
        found.push([...path.slice(path.indexOf(next)), next]);
      } else if (!state.has(next)) visit(next, path);
    }
    path.pop();
    state.set(node, 2);
  };
  for (const node of g.keys()) if (!state.has(node)) visit(node, []);
  return found;
}

Deno.test("architecture: no circular imports from mod.ts or cli.ts (type imports included)", async () => {
  for (const entry of ["mod.ts", "cli.ts"]) {
    const found = cycles(await graph(entry)).map((c) =>
      c.map((s) => s.replace(`file://${ROOT}/`, "")).join(" -> ")
    );
    assert.deepEqual(found, [], entry);
  }
});

Deno.test("architecture: each agent owns its config section; the table is built from them", () => {
  for (const profile of AGENT_PROFILES) {
    assert.ok(profile.config.vars.length > 0, profile.name);
    for (const v of profile.config.vars) {
      assert.ok(
        CONFIG_ENV_VARS.some((row) =>
          row.env === v.env && row.key === v.key && row.agent === profile.name
        ),
        `${v.env} in CONFIG_ENV_VARS, as ${profile.name}'s`,
      );
    }
    assert.ok(
      profile.config.vars.some((v) => v.env === profile.binEnvVar),
      `${profile.name} names its binary variable in its section`,
    );
  }
});

/**
 * The layers of `lib/`, lowest first: a module may import from its own
 * layer and the ones below, never from one above. A module not listed is
 * a failure too, so that a new file is placed on purpose.
 */
const LAYERS: readonly (readonly string[])[] = [
  // What everything stands on: no aimax concept above a file, a process,
  // a lock or an error.
  [
    "lib/errors.ts",
    "lib/poll.ts",
    "lib/hash.ts",
    "lib/path.ts",
    "lib/private.ts",
    "lib/lock.ts",
    "lib/inputs.ts",
    "lib/flags.ts",
    "lib/preflight.ts",
    "lib/terminal.ts",
    "lib/version.ts",
    "lib/recorder.ts",
    "lib/bus.ts",
    "lib/config_types.ts",
    "lib/agent_options.ts",
    "lib/rules.ts",
    // The one timings object: a leaf every layer reads.
    "lib/backend/timings.ts",
    "lib/jsonl/",
    "lib/tmux/",
  ],
  // aimax's own vocabulary of what an agent signals and shows.
  ["lib/signals/"],
  // The session records (the state files); git worktrees.
  ["lib/state.ts", "lib/worktree/"],
  // Everything agent-shaped.
  ["lib/agents/"],
  // Config and summaries, built from the agents' sections and records.
  ["lib/config.ts", "lib/format.ts"],
  // The one engine.
  ["lib/backend/"],
  // Backends by name and what is built on them.
  [
    "lib/registry.ts",
    "lib/sessions.ts",
    "lib/listing.ts",
    "lib/follow.ts",
    "lib/notify/",
    "lib/doctor.ts",
    "lib/permissions.ts",
    "lib/render/",
  ],
  // The ways in other than the CLI.
  ["lib/remote/", "lib/serve/", "lib/mcp/"],
  // The CLI.
  ["lib/cli/"],
];

function layerOf(path: string): number {
  const index = LAYERS.findIndex((layer) =>
    layer.some((prefix) =>
      prefix.endsWith("/") ? path.startsWith(prefix) : path === prefix
    )
  );
  return index;
}

Deno.test("architecture: no arrow from a lower layer of lib/ to a higher one (types included), and every module of lib/ has a layer", async () => {
  const edges = new Map<string, Set<string>>();
  for (const entry of ["mod.ts", "cli.ts"]) {
    for (const [from, to] of await graph(entry)) {
      const set = edges.get(from) ?? new Set<string>();
      for (const t of to) set.add(t);
      edges.set(from, set);
    }
  }
  const local = (s: string) => s.replace(`file://${ROOT}/`, "");
  const unplaced: string[] = [];
  const upward: string[] = [];
  for (const [from, to] of edges) {
    const path = local(from);
    if (!path.startsWith("lib/")) continue;
    const own = layerOf(path);
    if (own < 0) {
      unplaced.push(path);
      continue;
    }
    for (const target of to) {
      const other = layerOf(local(target));
      if (other > own) upward.push(`${path} -> ${local(target)}`);
    }
  }
  assert.deepEqual(unplaced, [], "modules with no layer");
  assert.deepEqual(upward, [], "imports from a higher layer");
});
