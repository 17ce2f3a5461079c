/**
 * Start-up benchmark: how long `createNewSession` takes from call to prompt
 * submitted (landed in the transcript), side by side with the TUI's own
 * start-up (window opened → ready screen) measured in the same run, for each
 * installed agent, against the loopback model.
 *
 *   deno run -A bench/startup_bench.ts [--runs 5]
 *
 * @module
 */
import { join, resolve } from "node:path";
import { claudeProfile } from "../lib/agents/claude.ts";
import { codexProfile } from "../lib/agents/codex.ts";
import type { AgentProfile } from "../lib/agents/agent.ts";
import { TmuxAgentBackend } from "../lib/backend/mod.ts";
import { configFromEnv } from "../lib/config.ts";
import { TmuxClient } from "../lib/tmux.ts";
import { startAnthropicStub } from "../offline/anthropic_stub.ts";
import { prepareClaudeHome } from "../offline/claude_home.ts";
import { prepareCodexHome } from "../offline/codex_home.ts";
import { startOpenAIStub } from "../offline/openai_stub.ts";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const runsArg = Deno.args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(Deno.args[runsArg + 1]) : 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(agent: "claude" | "codex") {
  const bin = join(ROOT, "node_modules", ".bin", agent);
  try {
    await Deno.stat(bin);
  } catch {
    return undefined;
  }
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-bench-" }),
  );
  const home = join(root, "home");
  const anthropic = agent === "claude" ? await startAnthropicStub() : undefined;
  const openai = agent === "codex" ? await startOpenAIStub() : undefined;
  const env = openai
    ? await prepareCodexHome(join(root, "codex-home"), {
      baseUrl: openai.baseUrl,
      home,
    })
    : await prepareClaudeHome(home, { baseUrl: anthropic!.url });
  for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
  const socket = join(root, "tmux.sock");
  const config = {
    ...configFromEnv(),
    dataDir: join(root, "data"),
    tmuxSocket: socket,
    claudeBin: join(ROOT, "node_modules", ".bin", "claude"),
    codexBin: join(ROOT, "node_modules", ".bin", "codex"),
  };
  const profile: AgentProfile = agent === "claude"
    ? claudeProfile
    : codexProfile;
  const tmux = new TmuxClient({ socket });
  const raw: number[] = [];
  const create: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const cwd = join(root, `work-${i}`);
      await Deno.mkdir(cwd);
      // The TUI alone: window opened → ready screen (trust pre-recorded or
      // passed, as aimax does).
      await profile.recordTrust(config, cwd);
      const plan = await profile.plan({
        config,
        sessionId: `raw${i}`,
        cwd,
        model: null,
        useProxy: false,
        agentSessionId: null,
      });
      const hub = await tmux.ensureSession("bench", { cwd });
      const started = performance.now();
      const { paneId, windowId } = await tmux.newWindow(hub, {
        name: `raw${i}`,
        cwd,
        env: plan.env,
        command: plan.argv,
      });
      while (
        profile.readScreen(await tmux.capturePane(paneId)).kind !== "input"
      ) {
        await new Promise((r) => setTimeout(r, 10));
      }
      raw.push(performance.now() - started);
      await tmux.killWindow(windowId);

      // aimax: create → prompt confirmed in the transcript.
      const cwd2 = join(root, `work-${i}-aimax`);
      await Deno.mkdir(cwd2);
      const backend = new TmuxAgentBackend(profile, config, {
        timings: { pollMs: 10 },
      });
      const t0 = performance.now();
      await backend.createNewSession({
        sessionId: `s${i}`,
        cwd: cwd2,
        initialPrompt: `bench ${i}`,
      });
      create.push(performance.now() - t0);
      await backend.terminateSession(`s${i}`);
    }
  } finally {
    await tmux.killServer();
    await (anthropic ?? openai)!.close();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
  return {
    runs: RUNS,
    tuiReadyMs: median(raw),
    createToSubmittedMs: median(create),
    raw,
    create,
  };
}

const results: Record<string, unknown> = {};
console.log(
  "agent    runs  TUI start→ready (median ms)  aimax create→prompt landed (median ms)  overhead",
);
for (const agent of ["claude", "codex"] as const) {
  const r = await measure(agent);
  if (!r) continue;
  results[agent] = r;
  console.log(
    `${agent.padEnd(8)} ${String(r.runs).padStart(4)}  ${
      r.tuiReadyMs.toFixed(0).padStart(27)
    }  ${r.createToSubmittedMs.toFixed(0).padStart(39)}  ${
      (r.createToSubmittedMs - r.tuiReadyMs).toFixed(0).padStart(6)
    } ms`,
  );
}
console.log(JSON.stringify(results));
