/**
 * The offline demo: drives a real agent TUI (Claude Code, or Codex when
 * Claude Code is not installed) end to end against this project's loopback
 * model stand-in. No account, no network; nothing outside a temp dir is
 * touched (its own HOME, data dir and tmux server).
 *
 * ```sh
 * deno task demo            # or: npm ci && npm run demo
 * deno task demo codex      # pick the agent
 * ```
 *
 * @module
 */
import { join, resolve } from "node:path";
import { configFromEnv, setConfig } from "../lib/config.ts";
import { findExecutable } from "../lib/preflight.ts";
import { get, resetBackends } from "../lib/registry.ts";
import { pollUntil } from "../lib/poll.ts";
import { ConversationRenderer } from "../lib/render/conversation.ts";
import { TmuxClient } from "../lib/tmux/mod.ts";
import { colorEnabled } from "../lib/terminal.ts";
import { startAnthropicStub } from "./anthropic_stub.ts";
import { prepareClaudeHome } from "./claude_home.ts";
import { prepareCodexHome } from "./codex_home.ts";
import { startOpenAIStub } from "./openai_stub.ts";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const bold = colorEnabled(Deno.stdout);
const say = (text: string) =>
  console.log(bold ? `\x1b[1m▶ ${text}\x1b[0m` : `▶ ${text}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function agentBinary(name: "claude" | "codex") {
  const local = join(ROOT, "node_modules", ".bin", name);
  return await findExecutable(local) ?? await findExecutable(name);
}

/**
 * Runs the demo.
 *
 * @param wanted `claude`, `codex`, or undefined for whichever is installed
 */
export async function demo(wanted?: string): Promise<void> {
  const claude = await agentBinary("claude");
  const codex = await agentBinary("codex");
  const agent = wanted === "codex" || (!wanted && !claude && codex)
    ? "codex"
    : "claude";
  const bin = agent === "claude" ? claude : codex;
  if (!bin) {
    throw new Error(
      `${agent} is not installed: run \`npm ci\` in ${ROOT} (it installs the pinned agent TUIs)`,
    );
  }
  if (!(await findExecutable("tmux"))) {
    throw new Error(
      "tmux is not installed: apt-get install tmux / brew install tmux",
    );
  }
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-demo-" }),
  );
  const home = join(root, "home");
  const cwd = join(root, "project");
  await Deno.mkdir(cwd, { recursive: true });
  const socket = join(root, "tmux.sock");
  say(
    `Using ${agent === "claude" ? "Claude Code" : "Codex"} (${bin}) in ${root}`,
  );

  const anthropic = agent === "claude" ? await startAnthropicStub() : undefined;
  const openai = agent === "codex" ? await startOpenAIStub() : undefined;
  const stub = (anthropic ?? openai)!;
  say(`Loopback model stand-in listening on ${stub.url}`);
  const env = openai
    ? await prepareCodexHome(join(root, "codex-home"), {
      baseUrl: openai.baseUrl,
      home,
      allowRm: true,
    })
    : await prepareClaudeHome(home, { baseUrl: stub.url });
  // The agent inherits these; the real ~/.claude and ~/.codex stay untouched.
  for (const [key, value] of Object.entries(env)) Deno.env.set(key, value);
  setConfig({
    ...configFromEnv(),
    dataDir: join(root, "data"),
    tmuxSocket: socket,
    agents: {
      "tmux-claude-code": { claudeBin: claude ?? "claude" },
      "tmux-codex": { codexBin: codex ?? "codex" },
    },
  });
  resetBackends();
  const backend = get(agent === "claude" ? "tmux-claude-code" : "tmux-codex");

  // The agents' processes, so that their HOME is removed only once they are
  // gone (an agent writes its config as it exits).
  const tmux = new TmuxClient({ socket });
  const agents = new Set<number>();
  const notePids = async () => {
    for (const pane of await tmux.listPanes().catch(() => [])) {
      agents.add(pane.panePid);
    }
  };
  try {
    say("Creating session 'demo' (a real TUI in a tmux window) …");
    const started = Date.now();
    const handle = await backend.createNewSession({
      sessionId: "demo",
      cwd,
      initialPrompt: "Say hello to the demo.",
    });
    say(
      `Prompt submitted after ${
        Date.now() - started
      } ms; transcript ${handle.jsonlPath}`,
    );

    // The conversation as `aimax history` and `aimax stream` print it: the
    // prompts, the assistant's text, tool calls and turn ends (records with
    // nothing for a person, such as snapshots, print nothing).
    const conversation = new ConversationRenderer(
      (record) => backend.profile.transcriptEvents(record),
      {
        color: bold,
        width: (Deno.stdout.isTerminal() ? Deno.consoleSize().columns : 100) -
          3,
        links: backend.profile.recordLinks,
      },
    );
    const show = (lines: string[]) =>
      lines.forEach((line) => console.log(line ? `   ${line}` : ""));
    const history = await backend.getHistory("demo");
    say(
      `The conversation so far (${history.total} transcript records, as \`aimax history\` shows them), then live from byte ${history.sentinel} (as \`aimax stream\`):`,
    );
    for (const entry of history.entries) show(conversation.lines(entry));
    const stop = await backend.getAgentRawThoughtStream(
      "demo",
      (_raw, entry) => show(conversation.lines(entry)),
      { fromOffset: history.sentinel },
    );

    await sleep(1500);
    say("Sending a follow-up without interrupting …");
    await backend.noPauseCurrentAndQueueQueryAtSession({
      sessionId: "demo",
      prompt: "And a follow-up question.",
    });
    await sleep(1500);

    const flag = join(cwd, ".imac", "flags", "demo", "running.flag");
    say(
      `Job flag present: ${!(await backend.isJobGoalAccomplished(
        "demo",
      ))} (${flag})`,
    );
    say(
      "Asking the agent to finish its job: a real Bash tool call removes the flag …",
    );
    await backend.noPauseCurrentAndQueueQueryAtSession({
      sessionId: "demo",
      prompt: `Finish the job. [[bash rm -f ${flag}]]`,
    });
    const deadline = Date.now() + 30_000;
    while (!(await backend.isJobGoalAccomplished("demo"))) {
      if (Date.now() > deadline) throw new Error("the flag was not cleared");
      await sleep(200);
    }
    await sleep(1000);
    say(
      `Job goal accomplished: ${await backend.isJobGoalAccomplished("demo")}`,
    );

    const screen = await new TmuxClient({ socket }).paneText(
      (await backend.status("demo")).paneId,
    );
    say("The TUI's screen right now:");
    console.log(
      screen.split("\n").filter((l) => l.trim() !== "").slice(-12).map((l) =>
        `   │ ${l.trimEnd()}`
      ).join("\n"),
    );

    await stop();
    show(conversation.flush());
    await notePids();
    const result = await backend.terminateSession("demo");
    say(`Stopped: ${JSON.stringify(result)}`);
    say("Demo complete.");
  } finally {
    await notePids();
    await tmux.killServer();
    await stub.close();
    await pollUntil(() => ![...agents].some(running), {
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** Whether process `pid` still runs (a zombie counts as gone). */
function running(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}

if (import.meta.main) {
  try {
    await demo(Deno.args[0]);
  } catch (error) {
    console.error(
      `demo failed: ${error instanceof Error ? error.message : error}`,
    );
    Deno.exit(1);
  }
}
