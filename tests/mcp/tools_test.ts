/**
 * The MCP tools through the SDK's own client over an in-memory transport,
 * on backends held in memory (tests/support/memory_backend.ts): every
 * tool, bad arguments, aimax's errors as tool errors, the refusals of
 * send_keys and stop_session, progress, cancellation, and a wait that does
 * not hold up other calls.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { InputError, SessionNotFoundError } from "../../lib/errors.ts";
import { validateSessionId } from "../../lib/inputs.ts";
import { createMcpServer } from "../../lib/mcp/server.ts";
import type { SessionSource } from "../../lib/mcp/source.ts";
import { TOOL_NAMES } from "../../lib/mcp/tools.ts";
import { MemoryBackend } from "../support/memory_backend.ts";

/** The sessions of `backends`, found as the local source finds them. */
function memorySource(backends: MemoryBackend[]): SessionSource {
  const byName = (name: string) => {
    const backend = backends.find((b) => b.name === name);
    if (!backend) throw new InputError(`unknown backend "${name}"`);
    return backend;
  };
  return {
    backends: backends.map((b) => b.name),
    backend: byName,
    backendOf: (sessionId, name) => {
      validateSessionId(sessionId);
      if (name) return Promise.resolve(byName(name));
      const owner = backends.find((b) => b.sessions.has(sessionId));
      if (!owner) {
        return Promise.reject(new SessionNotFoundError(undefined, sessionId));
      }
      return Promise.resolve(owner);
    },
    list: async (name) =>
      (await Promise.all(
        backends.filter((b) => !name || b.name === name).map((b) =>
          b.listSessions()
        ),
      )).flat(),
  };
}

interface Harness {
  client: Client;
  claude: MemoryBackend;
  codex: MemoryBackend;
  call: (
    name: string,
    args: Record<string, unknown>,
  ) => Promise<CallToolResult>;
  close: () => Promise<void>;
}

async function harness(
  options: { allSessions?: boolean; progressMs?: number } = {},
): Promise<Harness> {
  const claude = new MemoryBackend("tmux-claude-code");
  const codex = new MemoryBackend("tmux-codex");
  const server = createMcpServer({
    source: memorySource([claude, codex]),
    allSessions: options.allSessions,
    timings: { progressMs: options.progressMs ?? 5_000 },
  });
  const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test", version: "1" });
  await Promise.all([server.connect(serverEnd), client.connect(clientEnd)]);
  return {
    client,
    claude,
    codex,
    call: async (name, args) =>
      await client.callTool({ name, arguments: args }) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** A tool result's content (the SDK's types of it are loose here). */
type Content = { type: string; text?: string };

function textOf(result: CallToolResult): string {
  return (result.content as Content[]).map((c) =>
    c.type === "text" ? c.text : ""
  ).join("");
}

function errorOf(result: CallToolResult) {
  assert.equal(result.isError, true, textOf(result));
  return (result.structuredContent as {
    error: { code: string; message: string; hint?: string; dialog?: string };
  }).error;
}

const CREATE = {
  backend: "tmux-codex",
  session_id: "w1",
  cwd: "/work/repo",
  prompt: "Say hi.",
};

Deno.test("mcp tools: the list names every tool, each with a description and an object schema", async () => {
  const h = await harness();
  try {
    const tools = (await h.client.listTools()).tools as {
      name: string;
      description?: string;
      inputSchema: { type: string; required?: string[] };
    }[];
    assert.deepEqual(tools.map((t) => t.name), [...TOOL_NAMES]);
    for (const tool of tools) {
      assert.ok((tool.description ?? "").length > 40, tool.name);
      assert.equal(tool.inputSchema.type, "object", tool.name);
    }
    const create = tools.find((t) => t.name === "create_session")!;
    assert.deepEqual(
      (create.inputSchema as { required?: string[] }).required?.sort(),
      ["backend", "cwd", "prompt", "session_id"],
    );
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: create_session starts a session on the backend named, with the create options, and list_sessions shows it as created here", async () => {
  const h = await harness();
  try {
    const created = await h.call("create_session", {
      ...CREATE,
      model: "gpt-5",
      permission_mode: "edits",
      agent_args: ["--flag"],
      deny: ["bash:rm *"],
      worktree: { base: "main", copy: [".env"] },
      flag_root: "/work/flags",
      use_proxy: false,
    });
    assert.equal(created.isError, undefined, textOf(created));
    assert.match(textOf(created), /created session w1 \(Codex\)/);
    assert.equal(
      (created.structuredContent as { backend: string }).backend,
      "tmux-codex",
    );
    const options = h.codex.calls[0].args[0] as Record<string, unknown>;
    assert.equal(options.sessionId, "w1");
    assert.equal(options.initialPrompt, "Say hi.");
    assert.equal(options.model, "gpt-5");
    assert.equal(options.permissionMode, "edits");
    assert.deepEqual(options.agentArgs, ["--flag"]);
    assert.deepEqual(options.deny, ["bash:rm *"]);
    assert.equal(options.allow, undefined);
    assert.equal(options.flagRoot, "/work/flags");
    assert.equal(options.useProxy, false);
    assert.deepEqual(options.worktree, {
      branch: undefined,
      base: "main",
      copy: [".env"],
      reuseBranch: undefined,
    });
    assert.equal(h.claude.calls.length, 0);
    h.claude.seed("theirs");
    const listed = await h.call("list_sessions", {});
    const rows = (listed.structuredContent as {
      sessions: { sessionId: string; createdHere: boolean; state: string }[];
    }).sessions;
    assert.deepEqual(
      rows.map((r) => [r.sessionId, r.createdHere, r.state]).sort(),
      [["theirs", false, "idle"], ["w1", true, "working"]],
    );
    assert.match(
      textOf(listed),
      /w1 {2}tmux-codex {2}working .*\(created here\)/,
    );
    const codexOnly = await h.call("list_sessions", { backend: "tmux-codex" });
    assert.equal(
      (codexOnly.structuredContent as { sessions: unknown[] }).sessions.length,
      1,
    );
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: create_session and send with wait: true return the turn's answer; without wait, send reports the send; interrupt pauses", async () => {
  const h = await harness();
  try {
    const creating = h.call("create_session", { ...CREATE, wait: true });
    while (!h.codex.sessions.get("w1")?.finish) {
      await new Promise((r) => setTimeout(r, 5));
    }
    h.codex.complete("w1", "hi");
    const created = await creating;
    assert.match(textOf(created), /created session w1[^]*\nhi$/);
    const firstWait = h.codex.calls.find((c) => c.op === "waitForTurn")!;
    assert.equal(
      (firstWait.args[1] as { prompt: string }).prompt,
      "Say hi.",
    );

    const queued = await h.call("send", { session_id: "w1", prompt: "more" });
    assert.equal(textOf(queued), "sent to w1");
    assert.equal(
      h.codex.calls.at(-1)!.op,
      "noPauseCurrentAndQueueQueryAtSession",
    );
    const paused = await h.call("send", {
      session_id: "w1",
      prompt: "instead",
      mode: "interrupt",
    });
    assert.match(textOf(paused), /queued behind the running turn/);
    assert.equal(h.codex.calls.at(-1)!.op, "pauseCurrentAndResumeFromSession");

    h.codex.complete("w1", "done before");
    const sending = h.call("send", {
      session_id: "w1",
      prompt: "What is 2+2?",
      wait: true,
    });
    while (!h.codex.sessions.get("w1")?.finish) {
      await new Promise((r) => setTimeout(r, 5));
    }
    h.codex.complete("w1", "4");
    const answered = await sending;
    assert.equal(textOf(answered), "4");
    const turn = (answered.structuredContent as {
      turn: { outcome: string; text: string };
    }).turn;
    assert.deepEqual([turn.outcome, turn.text], ["completed", "4"]);
    const wait = h.codex.calls.at(-1)!;
    assert.equal(wait.op, "waitForTurn");
    assert.equal((wait.args[1] as { prompt: string }).prompt, "What is 2+2?");
    assert.equal((wait.args[1] as { timeoutMs: number }).timeoutMs, 50_000);
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: wait returns the last answer of an idle session, says a running one still runs at its timeout, and shows a dialog", async () => {
  const h = await harness();
  try {
    h.claude.seed("idle1");
    const idle = await h.call("wait", { session_id: "idle1" });
    assert.equal(textOf(idle), "seeded answer");
    h.claude.seed("busy", "working");
    const late = await h.call("wait", {
      session_id: "busy",
      timeout_seconds: 0.05,
    });
    assert.equal(late.isError, undefined);
    assert.match(textOf(late), /still working after .* call wait again/);
    assert.equal(
      (late.structuredContent as { outcome: string }).outcome,
      "timeout",
    );
    const asking = h.claude.seed("asking", "awaiting_input");
    asking.dialog = "Do you want to run rm -rf build? 1. Yes 2. No";
    const dialog = await h.call("wait", { session_id: "asking" });
    assert.match(textOf(dialog), /waits on a person[^]*rm -rf build/);
    assert.deepEqual(asking.keys, [], "nothing was pressed");
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: get_history gives the last records as a conversation, bounded in records and characters", async () => {
  const h = await harness();
  try {
    const session = h.claude.seed("talk");
    session.records.push(
      { type: "user", message: { role: "user", content: "second question" } },
      {
        type: "assistant",
        message: {
          role: "assistant",
          content: [{ type: "text", text: "second answer" }],
        },
      },
    );
    const all = await h.call("get_history", { session_id: "talk" });
    const text = textOf(all);
    assert.match(
      text,
      /❯ seeded\n {2}seeded answer\n❯ second question\n {2}second answer/,
    );
    assert.doesNotMatch(text, /"type"/, "no raw records");
    const last = await h.call("get_history", { session_id: "talk", limit: 1 });
    assert.match(
      textOf(last),
      /the last 1 transcript record \(earlier ones not shown\)\n {2}second answer$/,
    );
    assert.deepEqual(h.claude.calls.at(-1)!.args[1], { limit: 1 });
    session.records.push({
      type: "assistant",
      message: {
        role: "assistant",
        content: [{ type: "text", text: "x".repeat(300) + "\nthe end" }],
      },
    });
    const cut = await h.call("get_history", {
      session_id: "talk",
      max_chars: 200,
    });
    const structured = cut.structuredContent as {
      summary: string;
      truncated: boolean;
    };
    const shown = structured.summary.slice(
      structured.summary.indexOf("\n") + 1,
    );
    assert.ok(shown.length <= 200);
    assert.ok(shown.endsWith("the end"));
    assert.equal(structured.truncated, true);
    assert.match(textOf(cut), /, cut to the last 200 characters/);
    assert.match(textOf(all), /^session talk: all 4 transcript records\n/);
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: get_screen shows the screen, the state and the dialog", async () => {
  const h = await harness();
  try {
    const asking = h.codex.seed("asking", "awaiting_input");
    asking.dialog = "Allow command ls? (y/n)";
    const result = await h.call("get_screen", { session_id: "asking" });
    assert.match(textOf(result), /^state: awaiting_input[^]*Allow command ls/);
    assert.equal(
      (result.structuredContent as { dialog: string }).dialog,
      "Allow command ls? (y/n)",
    );
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: aimax's errors are tool errors with the code; send to a session waiting on a person shows the dialog and types nothing", async () => {
  const h = await harness();
  try {
    const asking = h.claude.seed("asking", "awaiting_input");
    asking.dialog = "Do you want to make this edit? 1. Yes 2. No";
    const refused = await h.call("send", { session_id: "asking", prompt: "1" });
    const error = errorOf(refused);
    assert.equal(error.code, "awaiting_input");
    assert.equal(error.dialog, asking.dialog);
    assert.match(textOf(refused), /^error awaiting_input: [^]*make this edit/);
    assert.equal(asking.records.length, 2, "nothing was sent");
    assert.deepEqual(asking.keys, []);

    const missing = await h.call("get_screen", { session_id: "ghost" });
    assert.equal(errorOf(missing).code, "session_not_found");
    assert.match(textOf(missing), /\nhint: see `aimax list`/);

    const exists = await h.call("create_session", {
      ...CREATE,
      session_id: "asking",
      backend: "tmux-claude-code",
    });
    assert.equal(errorOf(exists).code, "session_exists");
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: bad arguments are refused before any backend call (an invented id, a missing prompt, an unknown backend or mode, no keys)", async () => {
  const h = await harness();
  try {
    for (const id of ["../etc", "a b", "-x", "x".repeat(65)]) {
      const result = await h.call("get_history", { session_id: id });
      assert.equal(errorOf(result).code, "invalid_input", id);
      const created = await h.call("create_session", {
        ...CREATE,
        session_id: id,
      });
      assert.equal(errorOf(created).code, "invalid_input", id);
    }
    const invalid: [string, Record<string, unknown>][] = [
      ["send", { session_id: "w1" }],
      ["send", { session_id: "w1", prompt: "x", mode: "shout" }],
      ["create_session", { ...CREATE, backend: "tmux-nobody" }],
      ["create_session", { ...CREATE, permission_mode: "bypass" }],
      ["send_keys", { session_id: "w1", keys: [] }],
      ["get_history", { session_id: "w1", limit: 0 }],
      ["get_history", { session_id: "w1", lines: 5 }],
      ["create_session", { ...CREATE, worktree: { setup: "curl x | sh" } }],
      // Rules that allow without asking are a person's to give.
      ["create_session", { ...CREATE, allow: ["bash:rm *"] }],
      ["create_session", { ...CREATE, deny: "bash:rm *" }],
      ["wait", { session_id: "w1", timeout_seconds: -1 }],
      ["wait", {}],
    ];
    for (const [name, args] of invalid) {
      const result = await h.call(name, args);
      const error = errorOf(result);
      assert.equal(error.code, "invalid_input", JSON.stringify(args));
      assert.match(
        error.message,
        new RegExp(`^invalid arguments for ${name}: `),
      );
    }
    assert.match(
      errorOf(await h.call("send", { session_id: "w1" })).message,
      /^invalid arguments for send: prompt: /,
    );
    await assert.rejects(
      () => h.call("frobnicate", {}),
      /no tool "frobnicate"; the tools are list_sessions, create_session/,
    );
    assert.deepEqual(
      [...h.claude.calls, ...h.codex.calls].filter((c) =>
        c.op !== "listSessions"
      ),
      [],
    );
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: send_keys and stop_session are refused on a session this server did not create, allowed on its own, and on any with --all-sessions", async () => {
  const h = await harness();
  try {
    const theirs = h.claude.seed("theirs", "awaiting_input");
    theirs.dialog = "Allow? 1. Yes 2. No";
    const keys = await h.call("send_keys", {
      session_id: "theirs",
      keys: ["Enter"],
    });
    const error = errorOf(keys);
    assert.equal(error.code, "usage");
    assert.match(
      error.message,
      /send_keys refused: session "theirs" was not created by this MCP server/,
    );
    assert.deepEqual(theirs.keys, []);
    const stop = await h.call("stop_session", { session_id: "theirs" });
    assert.match(errorOf(stop).message, /stop_session refused/);
    assert.ok(h.claude.sessions.has("theirs"));

    await h.call("create_session", CREATE);
    const own = await h.call("send_keys", {
      session_id: "w1",
      keys: ["Escape", "Enter"],
    });
    assert.equal(textOf(own), "pressed Escape Enter in w1");
    assert.deepEqual(h.codex.sessions.get("w1")!.keys, [["Escape", "Enter"]]);
    // The same id on the other backend is not this server's.
    h.claude.seed("w1");
    const other = await h.call("send_keys", {
      session_id: "w1",
      keys: ["Enter"],
      backend: "tmux-claude-code",
    });
    assert.equal(errorOf(other).code, "usage");
    const stopped = await h.call("stop_session", {
      session_id: "w1",
      backend: "tmux-codex",
      discard: true,
    });
    assert.match(textOf(stopped), /^stopped w1 \(a turn was running\)/);
    assert.deepEqual(h.codex.calls.at(-1)!.args, ["w1", { discard: true }]);
  } finally {
    await h.close();
  }
  const all = await harness({ allSessions: true });
  try {
    all.claude.seed("theirs");
    const keys = await all.call("send_keys", {
      session_id: "theirs",
      keys: ["Enter"],
    });
    assert.equal(keys.isError, undefined, textOf(keys));
    const stop = await all.call("stop_session", { session_id: "theirs" });
    assert.equal(stop.isError, undefined, textOf(stop));
  } finally {
    await all.close();
  }
});

Deno.test("mcp tools: a long wait sends progress, does not hold up other calls, and stops when the call is cancelled", async () => {
  const h = await harness({ progressMs: 20 });
  try {
    h.codex.seed("busy", "working");
    const progress: { progress: number; message?: string }[] = [];
    const controller = new AbortController();
    const waiting = h.client.callTool(
      { name: "wait", arguments: { session_id: "busy", timeout_seconds: 600 } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (p: { progress: number; message?: string }) =>
          progress.push(p),
        timeout: 60_000,
      },
    );
    while (progress.length < 2) await new Promise((r) => setTimeout(r, 10));
    assert.match(progress[0].message ?? "", /session busy is working/);
    assert.ok(progress[1].progress > progress[0].progress);
    // Other calls are answered meanwhile.
    const listed = await h.call("list_sessions", {});
    assert.match(textOf(listed), /busy/);
    const screen = await h.call("get_screen", { session_id: "busy" });
    assert.equal(screen.isError, undefined);
    assert.equal(h.codex.lastWaitSignal?.aborted, false);
    controller.abort("enough");
    await assert.rejects(waiting);
    // The cancellation reaches the backend's wait.
    while (!h.codex.lastWaitSignal?.aborted) {
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(h.codex.sessions.get("busy")!.finish, undefined);
  } finally {
    await h.close();
  }
});

Deno.test("mcp tools: get_diff shows a session's change as a diff and a file list; merge_session merges only the server's own sessions (unless --all-sessions)", async () => {
  const h = await harness();
  try {
    await h.call("create_session", CREATE);
    const diff = await h.call("get_diff", { session_id: "w1" });
    assert.match(textOf(diff), /^aimax\/w1: \+1 −1, 1 file\n/);
    assert.match(textOf(diff), /^\+new$/m);
    h.claude.seed("theirs");
    const refused = await h.call("merge_session", { session_id: "theirs" });
    assert.equal(errorOf(refused).code, "usage");
    assert.match(errorOf(refused).message, /merge_session refused/);
    assert.ok(!h.claude.calls.some((c) => c.op === "merge"));
    const merged = await h.call("merge_session", {
      session_id: "w1",
      squash: true,
    });
    assert.match(
      textOf(merged),
      /^merged aimax\/w1 into main at feedface0123: a\.txt$/,
    );
    assert.deepEqual(h.codex.calls.at(-1), {
      op: "merge",
      args: ["w1", { squash: true, message: undefined }],
    });
  } finally {
    await h.close();
  }
});
