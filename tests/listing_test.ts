/**
 * `listAllSessions` lists from the registry and the config alone: an
 * unknown backend is bad input, and `aimax list` loads none of the
 * operations that start, type into or stop a session, nor the worktree
 * engine (what made it slow to start).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { setConfig } from "../lib/config.ts";
import { InputError } from "../lib/errors.ts";
import { listAllSessions } from "../lib/listing.ts";
import { withTempDir } from "./support/temp_dir.ts";
import { ROOT } from "./support/world.ts";

Deno.test("listAllSessions: an unknown backend is an InputError; an empty data dir lists nothing", async () => {
  await withTempDir("aimax-listing-", async (dir) => {
    setConfig({ dataDir: join(dir, "data"), tmuxSocket: join(dir, "none") });
    try {
      await assert.rejects(
        () => listAllSessions({ backend: "tmux-nobody" }),
        (error) =>
          error instanceof InputError && /unknown backend/.test(error.message),
      );
      assert.deepEqual(await listAllSessions(), []);
    } finally {
      setConfig({});
    }
  });
});

interface InfoModule {
  specifier: string;
  dependencies?: {
    code?: { specifier: string };
    isDynamic?: boolean;
  }[];
}

/**
 * The modules a file loads when it runs: static code imports only; its own
 * as paths from the root, others (`node:…`, `npm:…`) as written.
 */
async function loadedModules(file: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const modules = new Map<string, InfoModule>(
    (JSON.parse(new TextDecoder().decode(out.stdout)).modules as InfoModule[])
      .map((m) => [m.specifier, m]),
  );
  const root = new URL(`file://${join(ROOT, file)}`).href;
  const seen = new Set<string>();
  const todo = [root];
  while (todo.length > 0) {
    const specifier = todo.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    if (!specifier.startsWith("file:")) continue;
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (dep.code && !dep.isDynamic) todo.push(dep.code.specifier);
    }
  }
  return new Set(
    [...seen].map((s) =>
      s.startsWith("file:") ? s.slice(`file://${ROOT}/`.length) : s
    ),
  );
}

Deno.test("aimax list loads no session operation, no git code, no watcher and no node: module", async () => {
  const loaded = await loadedModules("lib/cli/list.ts");
  assert.ok(loaded.has("lib/listing.ts"), [...loaded].join(" "));
  for (
    const heavy of [
      "lib/backend/backend.ts",
      "lib/backend/lifecycle.ts",
      "lib/backend/submit.ts",
      "lib/backend/worktree.ts",
      "lib/registry.ts",
      "lib/worktree/mod.ts",
      "lib/worktree/merge.ts",
      "lib/remote/backend.ts",
      "lib/backend/turn_wait.ts",
      "lib/jsonl/watcher.ts",
    ]
  ) {
    assert.ok(!loaded.has(heavy), `lib/cli/list.ts loads ${heavy}`);
  }
  // No `node:` module: the first one starts Deno's Node layer (~5 ms).
  assert.deepEqual(
    [...loaded].filter((m) => !m.startsWith("lib/")),
    [],
    "list loads a module from outside lib/",
  );
  // A session's worktree diff is loaded only for a session that has one.
  assert.deepEqual(
    [...loaded].filter((m) => m.startsWith("lib/worktree/")),
    [],
  );
});
