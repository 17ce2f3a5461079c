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
      assert.ok(CONFIG_ENV_VARS.includes(v), `${v.env} in CONFIG_ENV_VARS`);
    }
    assert.ok(
      profile.config.vars.some((v) => v.env === profile.binEnvVar),
      `${profile.name} names its binary variable in its section`,
    );
  }
});
