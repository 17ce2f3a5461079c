/**
 * The remote CLI: `aimax` with `AIMAX_SERVER` and `AIMAX_SERVE_TOKEN` (or
 * `--server`) lists and drives the sessions of an `aimax serve` running in
 * a Claude Code world, from a process with its own empty data dir, tmux
 * socket and HOME (so nothing local is used), under the scoped permission
 * flags `config permissions --server URL` prints. Same output and exit
 * codes as locally: a wrong token exit 1 in one line, an unknown session
 * exit 3, bad input exit 2, a local-only command refused with exit 2.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { configFromEnv } from "../lib/config.ts";
import { permissionFlags } from "../lib/permissions.ts";
import { RemoteBackend } from "../lib/remote/backend.ts";
import {
  SERVE_WORLD,
  type Served,
  startServe,
  TOKEN,
} from "./support/serve_client.ts";
import {
  AGENTS,
  type CliResult,
  ROOT,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

const decoder = new TextDecoder();

/** A client machine: its own HOME, data dir and tmux socket, all empty. */
interface Client {
  env: Record<string, string>;
  flags: string[];
  root: string;
}

async function makeClient(served: Served): Promise<Client> {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-remote-client-" }),
  );
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    HOME: join(root, "home"),
    AIMAX_DATA_DIR: join(root, "data"),
    AIMAX_TMUX_SOCKET: join(root, "tmux.sock"),
    AIMAX_SERVER: served.url,
    AIMAX_SERVE_TOKEN: TOKEN,
  };
  const denoDir = Deno.env.get("DENO_DIR") ?? JSON.parse(
    decoder.decode(
      (await new Deno.Command(Deno.execPath(), {
        args: ["info", "--json"],
        stdout: "piped",
        stderr: "null",
      }).output()).stdout,
    ),
  ).denoDir;
  env.DENO_DIR = denoDir;
  const flags = await permissionFlags(configFromEnv((name) => env[name]), {
    server: served.url,
  });
  return { env, flags, root };
}

function spawnRemote(
  client: Client,
  args: string[],
  env: Record<string, string> = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...client.flags, join(ROOT, "mod.ts"), ...args],
    cwd: client.root,
    env: { ...client.env, ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function remote(
  client: Client,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const out = await spawnRemote(client, args, env).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

function ok(result: CliResult): CliResult {
  assert.equal(
    result.code,
    0,
    `exit ${result.code}: ${result.stderr}${result.stdout}`,
  );
  return result;
}

async function withServeAndClient(
  world: World,
  fn: (served: Served, client: Client) => Promise<void>,
): Promise<void> {
  const served = await startServe(world);
  let client: Client | undefined;
  try {
    client = await makeClient(served);
    await fn(served, client);
  } finally {
    const stderr = await served.stop();
    if (client) await Deno.remove(client.root, { recursive: true });
    assert.doesNotMatch(stderr, /^ {4}at /m, "no stack trace on stderr");
  }
}

Deno.test("remote: create passes the server's warnings to onWarning, as a local create does, and returns the same shape", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) =>
      new URL(request.url).pathname === "/api/sessions" &&
        request.method === "POST"
        ? Response.json({
          sessionId: "w1",
          backend: "tmux-codex",
          warnings: ["Codex 9.9.9 is not the tested 0.169.0"],
        }, { status: 201 })
        : new Response("no", { status: 404 }),
  );
  try {
    const remote = new RemoteBackend({
      url: `http://127.0.0.1:${server.addr.port}`,
      token: "t",
    }, "tmux-codex");
    const warned: string[] = [];
    const result = await remote.createNewSession({
      sessionId: "w1",
      cwd: "/tmp",
      initialPrompt: "hi",
      onWarning: (m) => warned.push(m),
    });
    assert.deepEqual(warned, ["Codex 9.9.9 is not the tested 0.169.0"]);
    assert.deepEqual(result, { sessionId: "w1", backend: "tmux-codex" });
  } finally {
    await server.shutdown();
  }
});

Deno.test("remote: a backend the client does not know is refused", () => {
  assert.throws(() =>
    new RemoteBackend({ url: "http://x", token: "t" }, "nope")
  );
});

Deno.test("remote: config permissions --server adds --allow-net for its host and port and the token", async () => {
  const config = configFromEnv(() => undefined);
  const flags = await permissionFlags(config, {
    server: "http://10.0.0.2:7878",
  });
  assert.ok(flags.includes("--allow-net=10.0.0.2:7878"), flags.join(" "));
  const env = flags.find((f) => f.startsWith("--allow-env="))!;
  assert.match(env, /AIMAX_SERVE_TOKEN/);
  assert.match(env, /AIMAX_SERVER/);
  assert.ok(
    (await permissionFlags(config, { server: "https://h" })).includes(
      "--allow-net=h:443",
    ),
  );
  await assert.rejects(permissionFlags(config, { server: "nope" }));
});

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} remote CLI: through AIMAX_SERVER the CLI lists and drives the server's sessions (create, list, send --wait, wait, status, history, screen, stream, stop) with the local exit codes`,
    async (world) => {
      await withServeAndClient(world, async (served, client) => {
        // Nothing yet.
        const empty = ok(await remote(client, ["list"]));
        assert.equal(empty.stdout.trim(), "no sessions");

        const created = ok(
          await remote(client, [
            "create",
            "-b",
            world.backend,
            "-s",
            "rc1",
            "--cwd",
            world.cwd,
            "-p",
            "hello",
          ]),
        );
        assert.match(created.stdout, new RegExp(`^created rc1 \\(${agent}, `));

        const list = JSON.parse(
          ok(await remote(client, ["list", "--json"])).stdout,
        );
        assert.deepEqual(list.map((s: { sessionId: string }) => s.sessionId), [
          "rc1",
        ]);
        assert.ok(
          ["starting", "idle", "working"].includes(list[0].state),
          list[0].state,
        );
        // `--server URL` instead of AIMAX_SERVER.
        const viaFlag = ok(
          await remote(client, ["list", "--json", "--server", served.url], {
            AIMAX_SERVER: "",
          }),
        );
        assert.equal(JSON.parse(viaFlag.stdout)[0].sessionId, "rc1");
        const table = ok(await remote(client, ["list"]));
        assert.match(table.stdout, /^SESSION/);
        assert.match(table.stdout, /rc1/);

        const answer = ok(
          await remote(client, ["send", "--wait", "-s", "rc1", "-p", "one"]),
        );
        assert.equal(answer.stdout.trim(), "ack: one");

        // `wait` on an idle session ends at once with the last answer.
        const waited = JSON.parse(
          ok(await remote(client, ["wait", "-s", "rc1", "--json"])).stdout,
        );
        assert.equal(waited.outcome, "completed");
        assert.equal(waited.text, "ack: one");
        assert.equal(waited.sessionId, "rc1");

        const status = JSON.parse(
          ok(await remote(client, ["status", "-s", "rc1", "--json"])).stdout,
        );
        assert.equal(status.state, "idle");
        assert.equal(status.backend, world.backend);
        const statusText = ok(await remote(client, ["status", "-s", "rc1"]));
        assert.match(statusText.stdout, /state: +idle/);

        const history = JSON.parse(
          ok(await remote(client, ["history", "-s", "rc1", "--json"])).stdout,
        );
        assert.ok(history.entries.length > 0);
        assert.ok(history.sentinel > 0);
        const historyText = ok(await remote(client, ["history", "-s", "rc1"]));
        assert.match(historyText.stdout, /ack: one/);
        assert.match(
          historyText.stdout,
          new RegExp(`sentinel ${history.sentinel}`),
        );

        const screen = JSON.parse(
          ok(await remote(client, ["screen", "-s", "rc1", "--json"])).stdout,
        );
        assert.match(screen.screen, /ack: one/);
        assert.equal(screen.state, "idle");

        // `stream --json` from the sentinel, `stream --events --json` and
        // `events --json`: the next turn arrives on each.
        const follow = (args: string[]) => {
          const child = spawnRemote(client, args);
          const seen = { text: "" };
          const reading = (async () => {
            for await (
              const chunk of child.stdout.pipeThrough(new TextDecoderStream())
            ) seen.text += chunk;
          })();
          return {
            seen,
            async stop() {
              child.kill("SIGINT");
              await reading;
              await child.stderr.cancel().catch(() => {});
              return (await child.status).code;
            },
          };
        };
        const from = ["--from-sentinel", String(history.sentinel)];
        const followers = [
          follow(["stream", "-s", "rc1", "--json", ...from]),
          follow(["stream", "-s", "rc1", "--json", "--events", ...from]),
          follow(["events", "-s", "rc1", "--json"]),
        ];
        try {
          // The followers are connected once the event feed is (it has no
          // catch-up): give them a moment, then send.
          await new Promise((r) => setTimeout(r, 1500));
          ok(await remote(client, ["send", "-s", "rc1", "-p", "two"]));
          for (const { seen } of followers.slice(0, 2)) {
            await waitFor(
              "the remote streams to show the second answer",
              () => seen.text.includes("ack: two"),
              60_000,
            );
          }
          // `events` may have joined after that turn on a slow machine: more
          // turns until it shows one.
          let more = 0;
          await waitFor("`events` to show a turn", async () => {
            if (/"ack: (two|more)/.test(followers[2].seen.text)) return true;
            if (++more % 20 === 0) {
              ok(await remote(client, ["send", "-s", "rc1", "-p", "more"]));
            }
            return false;
          }, 60_000);
          const first = JSON.parse(followers[0].seen.text.split("\n")[0]);
          assert.equal(first.offset, history.sentinel);
          const events = followers[1].seen.text.trim().split("\n")
            .map((line) => JSON.parse(line));
          assert.ok(events.some((e) => e.type === "assistant_message"));
          assert.ok(events.every((e) => e.end === undefined && !e.raw));
        } finally {
          for (const follower of followers) {
            assert.equal(await follower.stop(), 0);
          }
        }

        // Errors: the same exit codes and one line.
        const unknown = await remote(client, ["status", "-s", "nope"]);
        assert.equal(unknown.code, 3, unknown.stderr);
        assert.match(unknown.stderr, /^aimax: no session named "nope"/);
        const wrong = await remote(client, ["list"], {
          AIMAX_SERVE_TOKEN: "wrong-token",
        });
        assert.equal(wrong.code, 1, wrong.stderr);
        assert.equal(wrong.stderr.trim().split("\n").length, 1, wrong.stderr);
        assert.match(wrong.stderr, /^aimax: the server refused the token/);
        const noToken = await remote(client, ["list"], {
          AIMAX_SERVE_TOKEN: "",
        });
        assert.equal(noToken.code, 2, noToken.stderr);
        const badId = await remote(client, ["status", "-s", "../x"]);
        assert.equal(badId.code, 2, badId.stderr);
        const exists = await remote(client, [
          "create",
          "-b",
          world.backend,
          "-s",
          "rc1",
          "--cwd",
          world.cwd,
          "-p",
          "again",
          "--json",
        ]);
        assert.equal(exists.code, 1, exists.stderr);
        assert.equal(JSON.parse(exists.stdout).error.code, "session_exists");
        const attach = await remote(client, ["attach", "-s", "rc1"]);
        assert.equal(attach.code, 2, attach.stderr);
        assert.match(attach.stderr, /works on this host only/);
        const down = await remote(client, [
          "list",
          "--server",
          "http://127.0.0.1:1",
        ]);
        assert.equal(down.code, 1, down.stderr);

        const paused = ok(
          await remote(client, ["pause", "--wait", "-s", "rc1", "-p", "three"]),
        );
        assert.equal(paused.stdout.trim(), "ack: three");

        const stopped = ok(await remote(client, ["stop", "-s", "rc1"]));
        assert.match(stopped.stdout, /^stopped rc1/);
        const after = ok(await remote(client, ["list", "--json"]));
        assert.deepEqual(JSON.parse(after.stdout), []);

        // Nothing was made on the client's side.
        for (const name of ["data", "tmux.sock"]) {
          await assert.rejects(Deno.stat(join(client.root, name)));
        }
      });
    },
    SERVE_WORLD,
  );
}

worldTest(
  "claude",
  "remote CLI: during a permission dialog, send exits 5 with the dialog's text, wait reports it (exit 5), keys answers it",
  async (world) => {
    await withServeAndClient(world, async (_served, client) => {
      const marker = join(world.root, "approved-marker");
      ok(
        await remote(client, [
          "create",
          "-b",
          world.backend,
          "-s",
          "d1",
          "--cwd",
          world.cwd,
          "-p",
          `[[bash touch ${marker}]]`,
        ]),
      );
      await waitFor(
        "the permission dialog",
        async () => {
          const status = await remote(client, ["status", "-s", "d1", "--json"]);
          return status.code === 0 &&
            JSON.parse(status.stdout).state === "awaiting_input";
        },
        60_000,
      );
      const sent = await remote(client, ["send", "-s", "d1", "-p", "hello"]);
      assert.equal(sent.code, 5, sent.stderr);
      assert.match(sent.stderr, /^aimax: .*waits on a person/);
      assert.ok(sent.stderr.includes(`touch ${marker}`), sent.stderr);
      const asJson = await remote(client, [
        "send",
        "-s",
        "d1",
        "-p",
        "hello",
        "--json",
      ]);
      assert.equal(asJson.code, 5, asJson.stderr);
      const error = JSON.parse(asJson.stdout).error;
      assert.equal(error.code, "awaiting_input");
      assert.ok(error.dialog.includes(`touch ${marker}`));
      // As locally: the whole screen comes with it.
      assert.ok(error.screen.includes(`touch ${marker}`), error.screen);
      const waited = await remote(client, ["wait", "-s", "d1", "--json"]);
      assert.equal(waited.code, 5, waited.stderr);
      assert.equal(JSON.parse(waited.stdout).outcome, "awaiting_input");
      await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
      const pressed = ok(await remote(client, ["keys", "-s", "d1", "Enter"]));
      assert.match(pressed.stdout, /^pressed Enter in d1/);
      await waitFor("the approved command to run", async () => {
        try {
          await Deno.stat(marker);
          return true;
        } catch {
          return false;
        }
      }, 60_000);
    });
  },
  { ...SERVE_WORLD, approvals: true },
);

worldTest(
  "claude",
  "remote CLI: create --permission-mode and -- ARGS reach the server's agent; an option aimax owns is refused with exit 2",
  async (world) => {
    await withServeAndClient(world, async (_served, client) => {
      const extra = join(world.cwd, "remote-extra");
      await Deno.mkdir(extra);
      const base = ["create", "-b", world.backend, "--cwd", world.cwd];
      const refused = await remote(client, [
        ...base,
        "-s",
        "ro0",
        "-p",
        "hello",
        "--",
        "--settings",
        "x.json",
      ]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /--settings is not passed to Claude Code/);
      ok(
        await remote(client, [
          ...base,
          "-s",
          "ro1",
          "-p",
          "hello",
          "--permission-mode",
          "plan",
          "--",
          "--add-dir",
          extra,
        ]),
      );
      const status = JSON.parse(
        ok(await remote(client, ["status", "-s", "ro1", "--json"])).stdout,
      );
      assert.equal(status.permission.mode, "plan");
      assert.deepEqual(status.agentArgs, ["--add-dir", extra]);
      const listed = JSON.parse(
        ok(await remote(client, ["list", "--json"])).stdout,
      );
      assert.deepEqual(
        listed.map((s: { sessionId: string }) => s.sessionId),
        ["ro1"],
      );
    });
  },
  SERVE_WORLD,
);
