/**
 * The offline demo: drives a real agent TUI (the first of the registry's
 * agents that is installed, or the one named) end to end against this
 * project's loopback model stand-in (its kit in `kits.ts`). No account, no network; nothing outside a temp dir is
 * touched (its own HOME, data dir and tmux server).
 *
 * ```sh
 * deno task demo            # or: npm ci && npm run demo
 * deno task demo AGENT      # pick the agent (its short name)
 * ```
 *
 * @module
 */
import { join, resolve } from "node:path";
import { profileOf } from "../lib/agents/mod.ts";
import { configFromEnv, setConfig } from "../lib/config.ts";
import { findExecutable } from "../lib/preflight.ts";
import { get, resetBackends } from "../lib/registry.ts";
import { pollUntil } from "../lib/poll.ts";
import { ConversationRenderer } from "../lib/render/conversation.ts";
import { TmuxClient } from "../lib/tmux/mod.ts";
import { colorEnabled } from "../lib/terminal.ts";
import { type AgentName, AGENTS, TEST_KITS } from "./kits.ts";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const bold = colorEnabled(Deno.stdout);
const say = (text: string) =>
  console.log(bold ? `\x1b[1m▶ ${text}\x1b[0m` : `▶ ${text}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function agentBinary(agent: AgentName) {
  const name = TEST_KITS[agent].bin;
  const local = join(ROOT, "node_modules", ".bin", name);
  return await findExecutable(local) ?? await findExecutable(name);
}

/**
 * Runs the demo.
 *
 * @param wanted an agent's short name, or undefined for the first installed
 */
export async function demo(wanted?: string): Promise<void> {
  const bins = new Map<AgentName, string | undefined>();
  for (const a of AGENTS) bins.set(a, await agentBinary(a));
  if (wanted !== undefined && !(AGENTS as readonly string[]).includes(wanted)) {
    throw new Error(`unknown agent "${wanted}"; known: ${AGENTS.join(", ")}`);
  }
  const agent = (wanted as AgentName | undefined) ??
    AGENTS.find((a) => bins.get(a)) ?? AGENTS[0];
  const bin = bins.get(agent);
  const kit = TEST_KITS[agent];
  const profile = profileOf(kit.backend);
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
    `Using ${profile.label} (${bin}) in ${root}`,
  );

  const { stub, env } = await kit.start({ root, home });
  say(`Loopback model stand-in listening on ${stub.url}`);
  // The agent inherits these; the user's own agent config stays untouched.
  for (const [key, value] of Object.entries(env)) Deno.env.set(key, value);
  setConfig({
    ...configFromEnv(),
    dataDir: join(root, "data"),
    tmuxSocket: socket,
    agents: Object.fromEntries(
      AGENTS.flatMap((a) => {
        const p = profileOf(TEST_KITS[a].backend);
        const key = p.config.vars.find((v) => v.env === p.binEnvVar)?.key;
        const found = bins.get(a);
        return key && found ? [[p.name, { [key]: found }]] : [];
      }),
    ),
  });
  resetBackends();
  const backend = get(kit.backend);

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
