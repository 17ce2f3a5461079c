import assert from "node:assert/strict";
import { join } from "node:path";
import {
  HOOK_SCRIPT,
  installHookScript,
  shellQuote,
} from "../../lib/signals/hook_script.ts";

async function run(
  argv: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const d = new TextDecoder();
  return {
    code: out.code,
    stdout: d.decode(out.stdout),
    stderr: d.decode(out.stderr),
  };
}

async function lines(path: string) {
  return (await Deno.readTextFile(path)).trimEnd().split("\n").map((l) =>
    JSON.parse(l)
  );
}

Deno.test("hook: installed once, executable by its owner only (0700), same text", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await installHookScript(dir);
    assert.equal(await Deno.readTextFile(path), HOOK_SCRIPT);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o700);
    const mtime = (await Deno.stat(path)).mtime;
    assert.equal(await installHookScript(dir), path);
    assert.deepEqual((await Deno.stat(path)).mtime, mtime, "not rewritten");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook: a stdin payload and an argument payload each become one line; stdout stays empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const hook = await installHookScript(dir);
    const events = join(dir, "e.jsonl");
    const a = await run([hook, events, "Stop"], '{"a":1,\n"b":"x y"}');
    const b = await run([
      hook,
      events,
      "notify",
      '{"type":"agent-turn-complete"}',
    ]);
    const c = await run([hook, events, "SessionEnd"], "");
    for (const r of [a, b, c]) {
      assert.equal(r.code, 0);
      assert.equal(r.stdout, "");
    }
    const got = await lines(events);
    assert.deepEqual(got.map((l) => [l.event, l.payload]), [
      ["Stop", { a: 1, b: "x y" }],
      ["notify", { type: "agent-turn-complete" }],
      ["SessionEnd", null],
    ]);
    assert.ok(got.every((l) => Number.isInteger(l.at) && l.at > 1e12));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook: 24 concurrent payloads of 200 KiB each arrive whole, none lost", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const hook = await installHookScript(dir);
    const events = join(dir, "e.jsonl");
    const big = "x".repeat(200 * 1024);
    await Promise.all(
      Array.from(
        { length: 24 },
        (_, i) =>
          run([hook, events, "PostToolUse"], JSON.stringify({ i, big })),
      ),
    );
    const got = await lines(events);
    assert.equal(got.length, 24);
    assert.deepEqual(got.map((l) => l.payload.i).sort((x, y) => x - y), [
      ...Array(24).keys(),
    ]);
    assert.ok(got.every((l) => l.payload.big === big));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook: the user's own notify program still runs, with the payload last", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const hook = await installHookScript(dir);
    const events = join(dir, "e.jsonl");
    const out = join(dir, "user.txt");
    const r = await run([
      hook,
      events,
      "notify",
      "sh",
      "-c",
      `printf "%s|%s" "$0" "$1" > ${shellQuote(out)}`,
      "user-arg",
      '{"n":1}',
    ]);
    assert.equal(r.code, 0);
    assert.deepEqual((await lines(events))[0].payload, { n: 1 });
    // The user's program runs in the background: wait for it.
    for (let i = 0; i < 50; i++) {
      try {
        await Deno.stat(out);
        break;
      } catch {
        await new Promise((res) => setTimeout(res, 20));
      }
    }
    assert.equal(await Deno.readTextFile(out), 'user-arg|{"n":1}');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook: a broken events path never fails the agent's hook", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const hook = await installHookScript(dir);
    const file = join(dir, "plain");
    await Deno.writeTextFile(file, "");
    const r = await run([hook, join(file, "below", "e.jsonl"), "Stop"], "{}");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.equal((await run([hook], "")).code, 0, "no arguments");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook: shellQuote survives quotes, spaces and $", async () => {
  const word = `a b'c"$(x)`;
  const r = await run(["sh", "-c", `printf %s ${shellQuote(word)}`]);
  assert.equal(r.stdout, word);
});

Deno.test("hook: under umask 022 the events file it creates and its temp files (payload, line) are 0600: prompts and answers are the user's alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const hook = await installHookScript(dir);
    const events = join(dir, "e.jsonl");
    // A `date` that, called while the temp files exist, notes their modes.
    const bin = join(dir, "fakebin");
    await Deno.mkdir(bin);
    const seen = join(dir, "seen");
    await Deno.writeTextFile(
      join(bin, "date"),
      `#!/bin/sh\nfor t in '${events}'.*; do stat -c '%a %n' "$t" >> '${seen}'; done\necho 1700000000000\n`,
    );
    await Deno.chmod(join(bin, "date"), 0o755);
    const child = new Deno.Command("sh", {
      args: ["-c", 'umask 022; exec "$0" "$@"', hook, events, "Stop"],
      env: { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` },
      stdin: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(
      new TextEncoder().encode('{"last_assistant_message":"secret"}'),
    );
    await w.close();
    assert.equal((await child.status).code, 0);
    assert.equal((await Deno.stat(events)).mode! & 0o777, 0o600);
    const modes = (await Deno.readTextFile(seen)).trim().split("\n");
    assert.ok(modes.length >= 2, modes.join("; "));
    for (const line of modes) assert.match(line, /^600 /, line);
    assert.equal(
      (await lines(events))[0].payload.last_assistant_message,
      "secret",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook: the user's own notify program runs with the umask the hook was given, not the hook's own 077", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const hook = await installHookScript(dir);
    const events = join(dir, "e.jsonl");
    const out = join(dir, "umask.txt");
    const child = new Deno.Command("sh", {
      args: [
        "-c",
        'umask 022; exec "$0" "$@"',
        hook,
        events,
        "notify",
        "sh",
        "-c",
        `umask > ${shellQuote(out)}`,
        '{"n":1}',
      ],
    }).spawn();
    assert.equal((await child.status).code, 0);
    for (let i = 0; i < 50; i++) {
      try {
        if ((await Deno.readTextFile(out)).trim()) break;
      } catch {
        // not yet
      }
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.equal((await Deno.readTextFile(out)).trim(), "0022");
    assert.equal((await Deno.stat(events)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
