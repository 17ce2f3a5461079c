import assert from "node:assert/strict";
import { join } from "node:path";
import { TmuxError } from "../lib/errors.ts";
import { type PaneInfo, TmuxClient } from "../lib/tmux/mod.ts";
import { tmuxCounter } from "./support/tmux_counter.ts";

/** A private tmux server on a socket in a fresh temp dir, killed afterwards. */
async function withServer(
  fn: (tmux: TmuxClient, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-tmux-" }),
  );
  const tmux = new TmuxClient({ socket: join(dir, "tmux.sock") });
  try {
    await fn(tmux, dir);
  } finally {
    await tmux.killServer();
    await Deno.remove(dir, { recursive: true });
  }
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits for a pane to be dead, then briefly for its exit status. tmux 3.3a
 * here sometimes marks a pane dead (pty closed) without ever recording the
 * status (seen with plain tmux from bash too), so the status is optional.
 */
async function waitDead(tmux: TmuxClient, paneId: string): Promise<PaneInfo> {
  const dead = await waitFor("pane to die", async () => {
    const p = await tmux.paneInfo(paneId);
    return p?.paneDead ? p : undefined;
  });
  try {
    return await waitFor("exit status", async () => {
      const p = await tmux.paneInfo(paneId);
      return p?.paneDeadStatus !== undefined ? p : undefined;
    }, 1000);
  } catch {
    console.log(`  note: tmux recorded no exit status for dead pane ${paneId}`);
    return dead;
  }
}

async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

Deno.test("tmux: -S socket path is used, names use -L", () => {
  assert.deepEqual(new TmuxClient({ socket: "/x/y.sock" }).serverArgs, [
    "-S",
    "/x/y.sock",
  ]);
  assert.deepEqual(new TmuxClient({ socket: "name" }).serverArgs, [
    "-L",
    "name",
  ]);
});

Deno.test("tmux: listPanes / findSession on a server that does not run", async () => {
  await withServer(async (tmux) => {
    assert.deepEqual(await tmux.listPanes(), []);
    assert.equal(await tmux.findSession("hub"), undefined);
    assert.equal(await tmux.paneInfo("%0"), undefined);
  });
});

Deno.test("tmux: ensureSession twice returns the same $id", async () => {
  await withServer(async (tmux, dir) => {
    const a = await tmux.ensureSession("hub", { cwd: dir });
    assert.match(a, /^\$\d+$/);
    const b = await tmux.ensureSession("hub", { cwd: dir });
    assert.equal(b, a);
    assert.equal(await tmux.findSession("hub"), a);
    const other = await tmux.ensureSession("hub2", { cwd: dir });
    assert.notEqual(other, a);
    // A prefix of a name is not that name.
    assert.equal(await tmux.findSession("hu"), undefined);
    // Concurrent creators agree on one session.
    const ids = await Promise.all(
      Array.from({ length: 4 }, () => tmux.ensureSession("race", { cwd: dir })),
    );
    assert.equal(new Set(ids).size, 1);
  });
});

Deno.test("tmux: newWindow passes cwd, env and argv to the process", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: "/" });
    const work = join(dir, "work dir $(x)");
    await Deno.mkdir(work);
    const out = join(dir, "out.txt");
    const result = await tmux.newWindow(hub, {
      name: "w1",
      cwd: work,
      env: { FOO: "bar baz $(id) `x`", AIMAX_T: "1" },
      command: [
        "sh",
        "-c",
        'printf "%s\\n%s\\n%s\\n" "$FOO" "$AIMAX_T" "$(pwd)" > "$1"; sleep 30',
        "sh",
        out,
      ],
    });
    assert.match(result.windowId, /^@\d+$/);
    assert.match(result.paneId, /^%\d+$/);
    assert.ok(Number.isInteger(result.panePid) && result.panePid > 0);
    const text = await waitFor("output file", async () => {
      const bytes = await readIfExists(out);
      const t = bytes && new TextDecoder().decode(bytes);
      return t && t.split("\n").length >= 4 ? t : undefined;
    });
    assert.equal(text, `bar baz $(id) \`x\`\n1\n${work}\n`);
    const pane = await tmux.paneInfo(result.paneId);
    assert.ok(pane);
    assert.equal(pane.windowId, result.windowId);
    assert.equal(pane.sessionId, hub);
    assert.equal(pane.sessionName, "hub");
    assert.equal(pane.windowName, "w1");
    assert.equal(pane.panePid, result.panePid);
    assert.equal(pane.paneDead, false);
  });
});

Deno.test("tmux: arguments ending in ; are not read as tmux command separators", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: dir });
    const out = join(dir, "args.txt");
    await tmux.newWindow(hub, {
      name: "semi",
      cwd: dir,
      env: { SEMI: "a;b;" },
      command: [
        "sh",
        "-c",
        'printf "%s|" "$SEMI" "$@" > "$0"; sleep 30',
        out,
        "x;",
        ";",
        "y\\;",
        "z\\",
      ],
    });
    // The shell creates the file (empty) before printf writes to it.
    const text = await waitFor("args file", async () => {
      const b = await readIfExists(out);
      return b?.length ? new TextDecoder().decode(b) : undefined;
    });
    assert.equal(text, "a;b;|x;|;|y\\;|z\\|");
    // send-keys -l text ending in ; arrives whole.
    const typed = join(dir, "typed.txt");
    const { paneId } = await tmux.newWindow(hub, {
      name: "typed",
      cwd: dir,
      command: [
        "sh",
        "-c",
        'stty -echo; read -r l; printf "%s" "$l" > "$0"',
        typed,
      ],
    });
    await waitFor("reader", async () => (await tmux.paneInfo(paneId)) ?? false);
    await tmux.sendKeys(paneId, "-l", "echo 1;");
    await tmux.sendKeys(paneId, "Enter");
    const line = await waitFor("typed line", async () => {
      const b = await readIfExists(typed);
      return b?.length ? new TextDecoder().decode(b) : undefined;
    });
    assert.equal(line, "echo 1;");
  });
});

Deno.test("tmux: newWindow rejects a bad env name and an empty command", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: dir });
    await assert.rejects(
      () =>
        tmux.newWindow(hub, {
          name: "w",
          cwd: dir,
          env: { "A=B": "x" },
          command: ["true", "x"],
        }),
      TypeError,
    );
    await assert.rejects(
      () => tmux.newWindow(hub, { name: "w", cwd: dir, command: [] }),
      TypeError,
    );
  });
});

Deno.test("tmux: a single-element command runs directly, not via a shell", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: dir });
    // A program whose path has a space and a `;`: a shell would split it.
    const bin = join(dir, "my prog;x");
    const marker = join(dir, "marker");
    await Deno.writeTextFile(
      bin,
      `#!/bin/sh\necho "ran $#" > '${marker}'\nexec sleep 30\n`,
    );
    await Deno.chmod(bin, 0o755);
    await tmux.newWindow(hub, { name: "single", cwd: dir, command: [bin] });
    const text = await waitFor("marker", async () => {
      const b = await readIfExists(marker);
      return b?.length ? new TextDecoder().decode(b) : undefined;
    });
    assert.equal(text, "ran 0\n");
    // And a single word that would be shell code is run as a program name,
    // so nothing is executed and the marker of a shell is never written.
    const shellMarker = join(dir, "shell-ran");
    const { paneId } = await tmux.newWindow(hub, {
      name: "code",
      cwd: dir,
      command: [`touch '${shellMarker}'`],
    });
    // The program does not exist: it fails at once, and the pane (with its
    // last screen) stays because remain-on-exit was on before it started.
    const dead = await waitDead(tmux, paneId);
    assert.equal(dead.paneDead, true);
    if (dead.paneDeadStatus !== undefined) {
      assert.equal(dead.paneDeadStatus, 127);
    }
    // env's complaint about the missing program is kept. It is read with
    // some history: tmux scrolls the screen up by a line to write "Pane is
    // dead", which takes the first line off the visible screen.
    await waitFor(
      "env's complaint in the pane",
      async () =>
        /^env: .touch .*: No such file or directory$/m.test(
          await tmux.paneText(paneId, { start: -10 }),
        ),
    );
    assert.equal(await readIfExists(shellMarker), undefined);
    // The one-shot hook is gone: a plain window that exits at once vanishes.
    const plain = await tmux.run([
      "new-window",
      "-d",
      "-P",
      "-F",
      "#{pane_id}",
      "-t",
      `${hub}:`,
      "--",
      "false",
    ]);
    await waitFor(
      "plain window to vanish",
      async () => (await tmux.paneInfo(plain.trim())) === undefined,
    );
  });
});

const TRICKY = "line one with \"double\" and 'single' quotes\n" +
  "$(touch /tmp/aimax-should-not-exist) `echo nope` $HOME\n" +
  "\ttab, unicode é 世界 😀, backslash \\ and ; | & > <\n" +
  "last line\n";

Deno.test("tmux: paste arrives literally in a process reading stdin", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: dir });
    const out = join(dir, "pasted.txt");
    const { paneId } = await tmux.newWindow(hub, {
      name: "cat",
      cwd: dir,
      // cat in a cooked tty: the CRs tmux sends for newlines become LFs again.
      command: ["sh", "-c", 'stty -echo; exec cat > "$1"', "sh", out],
    });
    await waitFor("cat to run", async () => {
      const p = await tmux.paneInfo(paneId);
      return p?.currentCommand === "cat";
    });
    await tmux.paste(paneId, TRICKY);
    const expected = new TextEncoder().encode(TRICKY);
    const got = await waitFor("pasted bytes", async () => {
      const b = await readIfExists(out);
      return b && b.length >= expected.length ? b : undefined;
    });
    assert.deepEqual(got, expected);
    // No paste buffer is left behind.
    assert.equal((await tmux.run(["list-buffers"])).trim(), "");
  });
});

Deno.test("tmux: paste is bracketed when the application asks for it", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: dir });
    const out = join(dir, "pasted.txt");
    const { paneId } = await tmux.newWindow(hub, {
      name: "bp",
      cwd: dir,
      // Turn bracketed paste on, then read bytes as they come (non-canonical).
      command: [
        "sh",
        "-c",
        'printf "\\033[?2004h"; stty -echo -icanon min 1; exec cat > "$1"',
        "sh",
        out,
      ],
    });
    await waitFor("cat to run", async () => {
      const p = await tmux.paneInfo(paneId);
      return p?.currentCommand === "cat";
    });
    await tmux.paste(paneId, TRICKY);
    const expected = new TextEncoder().encode(`\x1b[200~${TRICKY}\x1b[201~`);
    const got = await waitFor("pasted bytes", async () => {
      const b = await readIfExists(out);
      return b && b.length >= expected.length ? b : undefined;
    });
    assert.equal(
      new TextDecoder().decode(got),
      new TextDecoder().decode(expected),
    );
    assert.equal((await tmux.run(["list-buffers"])).trim(), "");
  });
});

Deno.test("tmux: a failed paste deletes its buffer", async () => {
  await withServer(async (tmux, dir) => {
    await tmux.ensureSession("hub", { cwd: dir });
    await assert.rejects(() => tmux.paste("%9999", "hello"), TmuxError);
    assert.equal((await tmux.run(["list-buffers"])).trim(), "");
  });
});

Deno.test("tmux: sendKeys and capturePane", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: dir });
    const { paneId } = await tmux.newWindow(hub, {
      name: "echo",
      cwd: dir,
      command: ["sh", "-c", 'while read -r l; do echo "got:$l"; done'],
    });
    await waitFor("shell", async () => (await tmux.paneInfo(paneId)) ?? false);
    await tmux.sendKeys(paneId, "-l", "hello world");
    await tmux.sendKeys(paneId, "Enter");
    const screen = await waitFor("echo on screen", async () => {
      const s = await tmux.paneText(paneId);
      return s.includes("got:hello world") ? s : undefined;
    });
    // Line 1 is the typed input echoed by the tty, line 2 the reply.
    const lines = screen.split("\n").filter((l) => l !== "");
    assert.deepEqual(lines.slice(0, 2), ["hello world", "got:hello world"]);
    // Key names are keys, not text: C-u erases the typed line.
    await tmux.sendKeys(paneId, "-l", "discard me");
    await tmux.sendKeys(paneId, "C-u");
    await tmux.sendKeys(paneId, "-l", "kept");
    await tmux.sendKeys(paneId, "Enter");
    await waitFor("second echo", async () => {
      const s = await tmux.paneText(paneId);
      return s.includes("got:kept");
    });
    assert.ok(!(await tmux.paneText(paneId)).includes("got:discard"));
    // start < 0 reaches into history without failing.
    const withHistory = await tmux.paneText(paneId, { start: -100 });
    assert.ok(withHistory.includes("got:hello world"));
  });
});

Deno.test("tmux: listPanes, paneInfo, dead pane with remain-on-exit, killWindow", async () => {
  await withServer(async (tmux, dir) => {
    const hub = await tmux.ensureSession("hub", { cwd: dir });
    const other = await tmux.ensureSession("other", { cwd: dir });
    const live = await tmux.newWindow(hub, {
      name: "live",
      cwd: dir,
      command: ["sleep", "30"],
    });
    const dying = await tmux.newWindow(hub, {
      name: "dying",
      cwd: dir,
      command: ["sh", "-c", "echo last words; sleep 0.5; exit 3"],
    });
    const all = await tmux.listPanes();
    assert.ok(all.some((p) => p.paneId === live.paneId));
    assert.ok(all.some((p) => p.sessionId === other));
    const inHub = await tmux.listPanes({ sessionId: hub });
    assert.ok(inHub.every((p) => p.sessionId === hub));
    // The session's first window, plus the two new ones.
    assert.equal(inHub.length, 3);
    const livePane = inHub.find((p) => p.paneId === live.paneId)!;
    assert.equal(livePane.windowId, live.windowId);
    assert.equal(livePane.windowName, "live");
    assert.equal(livePane.panePid, live.panePid);
    assert.equal(livePane.currentCommand, "sleep");
    assert.equal(livePane.paneDead, false);
    assert.equal(livePane.paneDeadStatus, undefined);

    const dead = await waitDead(tmux, dying.paneId);
    assert.equal(dead.paneDead, true);
    if (dead.paneDeadStatus !== undefined) {
      assert.equal(dead.paneDeadStatus, 3);
    }
    // The dead pane keeps its output, the first line now in its history.
    assert.match(
      await tmux.paneText(dying.paneId, { start: -10 }),
      /^last words$/m,
    );
    assert.equal(dead.windowName, "dying", "automatic-rename is off");
    const listed = (await tmux.listPanes({ sessionId: hub })).find((p) =>
      p.paneId === dying.paneId
    );
    assert.equal(listed?.paneDead, true);

    assert.equal(await tmux.killWindow(live.windowId), true);
    assert.equal(await tmux.paneInfo(live.paneId), undefined);
    assert.equal(await tmux.killWindow(live.windowId), false);
    assert.ok(
      !(await tmux.listPanes()).some((p) => p.paneId === live.paneId),
    );
  });
});

Deno.test("tmux: survey lists every pane and captures some in one invocation; a gone pane costs two more", async () => {
  await withServer(async (plain, dir) => {
    const counter = await tmuxCounter(dir);
    const socket = join(dir, "tmux.sock");
    const tmux = new TmuxClient({ socket, bin: counter.wrapper });
    const hub = await plain.ensureSession("hub", { cwd: dir });
    const show = async (name: string, text: string) => {
      const w = await plain.newWindow(hub, {
        name,
        cwd: dir,
        command: ["sh", "-c", `printf '%s\\n' '${text}'; sleep 30`],
      });
      await waitFor(`${name} on screen`, async () => {
        return (await plain.paneText(w.paneId)).includes(text);
      });
      return w.paneId;
    };
    const a = await show("a", "screen of a");
    const b = await show("b", "screen of b; with a semicolon");
    const c = await show("c", "screen of c");

    await counter.reset();
    const both = await tmux.panesWithText([a, b]);
    assert.equal((await counter.calls()).length, 1);
    assert.deepEqual(
      both.panes.map((p) => p.paneId).filter((id) => [a, b, c].includes(id)),
      [a, b, c],
    );
    assert.deepEqual([...both.screens.keys()], [a, b]);
    assert.ok(both.screens.get(a)!.startsWith("screen of a\n"));
    assert.ok(both.screens.get(b)!.startsWith("screen of b; with a semicolon"));
    assert.ok(!both.screens.get(a)!.includes("screen of b"));

    // A pane that is gone: tmux stops at its capture, so the panes are
    // listed again and only the listed ones captured.
    await plain.killWindow((await plain.paneInfo(c))!.windowId);
    await counter.reset();
    const gone = await tmux.panesWithText([a, c]);
    assert.equal((await counter.calls()).length, 3);
    assert.ok(!gone.panes.some((p) => p.paneId === c));
    assert.deepEqual([...gone.screens.keys()], [a]);

    // Nothing to capture: the listing alone.
    await counter.reset();
    const none = await tmux.panesWithText([]);
    assert.equal((await counter.calls()).length, 1);
    assert.equal(none.screens.size, 0);
    assert.ok(none.panes.some((p) => p.paneId === a));
  });
});

Deno.test("tmux: survey on a server that does not run lists nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-tmux-" });
  try {
    const tmux = new TmuxClient({ socket: join(dir, "none.sock") });
    const seen = await tmux.panesWithText(["%1"]);
    assert.deepEqual(seen.panes, []);
    assert.equal(seen.screens.size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tmux: a failing command raises TmuxError with argv and stderr", async () => {
  await withServer(async (tmux, dir) => {
    await tmux.ensureSession("hub", { cwd: dir });
    const error = await tmux.run(["kill-window", "-t", "@98765"]).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof TmuxError, String(error));
    assert.equal(error.code, "tmux_failed");
    assert.deepEqual(error.argv, [
      ...tmux.serverArgs,
      "kill-window",
      "-t",
      "@98765",
    ]);
    assert.notEqual(error.exitCode, 0);
    assert.match(error.stderr, /@98765|can't find window/);
    assert.ok(error.message.includes(error.stderr));
    await assert.rejects(() => tmux.sendKeys("%98765", "Enter"), TmuxError);
    await assert.rejects(() => tmux.paneText("%98765"), TmuxError);
    await assert.rejects(
      () =>
        tmux.newWindow("$9876", {
          name: "x",
          cwd: dir,
          command: ["true", "1"],
        }),
      TmuxError,
    );
  });
});

Deno.test("tmux: a TmuxError's message shows the first arguments only, never all of a 40,000-key argv (the argv stays whole on the error)", () => {
  const argv = ["send-keys", "-t", "%1", ...Array(40_000).fill("Escape")];
  const error = new TmuxError(argv, 1, "command too long\n".repeat(1000));
  assert.ok(error.message.length < 800, `${error.message.length}`);
  assert.match(
    error.message,
    /send-keys -t %1 Escape .*\(39995 more arguments\)/,
  );
  assert.equal(error.argv.length, argv.length);
});

Deno.test("tmux: a call that does not answer is killed after timeoutMs and fails with a TmuxError naming the limit; an aborted call is killed at once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-hung-tmux-" });
  try {
    const bin = join(dir, "tmux");
    const pidFile = join(dir, "pid");
    await Deno.writeTextFile(
      bin,
      `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`,
    );
    await Deno.chmod(bin, 0o755);
    const tmux = new TmuxClient({ bin, timeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(
      () => tmux.sendKeyList("%1", ["Escape"]),
      (error: Error) => {
        assert.ok(error instanceof TmuxError, String(error));
        assert.match(
          error.message,
          /no answer within 300 ms; the call was killed/,
        );
        return true;
      },
    );
    assert.ok(Date.now() - started < 5_000, `${Date.now() - started} ms`);
    const pid = Number(await Deno.readTextFile(pidFile));
    // The hung process is gone (kill -0 fails).
    const probe = await new Deno.Command("kill", {
      args: ["-0", String(pid)],
      stderr: "null",
    }).output();
    assert.equal(probe.code, 1, "the hung tmux was killed");

    const abort = new AbortController();
    const patient = new TmuxClient({ bin });
    const call = patient.sendKeyList("%1", ["Enter"], { signal: abort.signal });
    setTimeout(() => abort.abort(new Error("client gone")), 200);
    const t0 = Date.now();
    await assert.rejects(() => call, /client gone/);
    assert.ok(Date.now() - t0 < 5_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tmux: ensureSession sets serverOptions only on a server it started", async () => {
  await withServer(async (tmux, dir) => {
    const focus = async () =>
      (await tmux.run(["show-options", "-s", "focus-events"])).trim();
    assert.equal(await tmux.serverRunning(), false);
    await tmux.ensureSession("hub", {
      cwd: dir,
      serverOptions: { "focus-events": "on" },
    });
    assert.equal(await tmux.serverRunning(), true);
    assert.equal(await focus(), "focus-events on");
    // A server that already ran keeps its options.
    await tmux.run(["set-option", "-s", "focus-events", "off"]);
    await tmux.ensureSession("hub2", {
      cwd: dir,
      serverOptions: { "focus-events": "on" },
    });
    assert.equal(await focus(), "focus-events off");
  });
});
