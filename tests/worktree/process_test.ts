import assert from "node:assert/strict";
import {
  killProcessTree,
  readBounded,
  readChunks,
} from "../../lib/worktree/process.ts";
import { withRepo } from "./support.ts";

function spawn(script: string): Deno.ChildProcess {
  return new Deno.Command("sh", {
    args: ["-c", script],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    detached: true,
  }).spawn();
}

Deno.test("process: readBounded keeps the first bytes and tells once when more came", async () => {
  const child = spawn("head -c 10000 /dev/zero");
  let overs = 0;
  const out = await readBounded(child.stdout, {
    max: 1000,
    signal: new AbortController().signal,
    onOver: () => overs++,
  });
  await child.status;
  assert.equal(out.bytes.length, 1000);
  assert.equal(out.over, true);
  assert.equal(overs, 1);
  const exact = spawn("printf abc");
  const whole = await readBounded(exact.stdout, {
    max: 3,
    signal: new AbortController().signal,
  });
  await exact.status;
  assert.deepEqual(whole, {
    bytes: new TextEncoder().encode("abc"),
    over: false,
  });
});

Deno.test("process: an abort ends a read that a left-over grandchild keeps open", async () => {
  const marker = `sleep 2${Math.floor(Math.random() * 1000)}.5`;
  const child = spawn(`echo start; ${marker} & wait`);
  const stop = new AbortController();
  const chunks: string[] = [];
  const reading = readChunks(child.stdout, {
    signal: stop.signal,
    onChunk: (chunk) => {
      chunks.push(new TextDecoder().decode(chunk));
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = Date.now();
  child.kill("SIGKILL"); // the shell only: the sleep keeps the pipe
  stop.abort();
  await reading;
  assert.ok(Date.now() - started < 1_000);
  assert.deepEqual(chunks, ["start\n"]);
  await child.status;
  killProcessTree(child);
});

Deno.test("process: killProcessTree kills the group a detached child leads", async () => {
  const marker = `sleep 3${Math.floor(Math.random() * 1000)}.5`;
  const child = spawn(`${marker} & wait`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  killProcessTree(child);
  assert.equal((await child.status).signal, "SIGKILL");
  await child.stdout.cancel();
  const left = await new Deno.Command("pgrep", { args: ["-f", marker] })
    .output();
  assert.equal(left.code, 1, "the grandchild is gone too");
});

Deno.test("process: under --allow-run=git,sh (no group kill), a time limit still ends git and setup calls at once", async () => {
  await withRepo(async ({ repo }) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-run=git,sh",
        "--allow-read",
        "--allow-write",
        "--no-lock",
        new URL("./scoped_child.ts", import.meta.url).pathname,
        repo,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const printed = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, printed + new TextDecoder().decode(out.stderr));
    const timings = JSON.parse(printed);
    assert.equal(typeof timings.git, "number", printed);
    assert.ok(timings.git < 2_000, printed);
    assert.match(timings.gitError, /no answer within 300 ms/);
    assert.equal(typeof timings.setup, "number", printed);
    assert.ok(timings.setup < 2_000, printed);
    assert.match(timings.setupError, /did not finish within 300 ms/);
  });
});
