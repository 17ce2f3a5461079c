/**
 * Fake idle Codex sessions for followers and benchmarks: each a real tmux
 * pane showing a screen captured from the real Codex TUI (idle:
 * `tests/fixtures/screens/codex/0.171.0/ready.txt`), a rollout holding its
 * `session_meta`, and its record in the state file. What a follower reads
 * of them is real; only the agent behind the screen is missing.
 *
 * @module
 */
import { join } from "node:path";
import { setConfig } from "../../lib/config.ts";
import { resetBackends } from "../../lib/registry.ts";
import { type SessionRecord, StateStore } from "../../lib/state.ts";
import { TmuxClient } from "../../lib/tmux/mod.ts";
import { ROOT } from "./world.ts";

const READY = join(ROOT, "tests/fixtures/screens/codex/0.171.0/ready.txt");
/** Shows the screen, then idles (argv, no user data). */
const PANE_SCRIPT = 'cat "$1"; exec sleep infinity';
/**
 * Shows the screen, and again (cleared first) at each SIGUSR1; keys typed
 * into the pane are not echoed (they would change the screen).
 */
const REDRAW_SCRIPT =
  'stty -echo; trap \'printf "\\033[H\\033[2J"; cat "$1"\' USR1; cat "$1"; while :; do sleep 1 & wait $!; done';

/** What {@linkcode fakeCodexSessions} made. */
export interface FakeCodex {
  /** The data dir holding the state file. */
  data: string;
  /** The sessions' working directory. */
  cwd: string;
  /** A client on the tmux server. */
  tmux: TmuxClient;
  /** Each session's rollout, by session id, in creation order. */
  transcripts: Map<string, string>;
  /**
   * Shows `screen` (a captured screen's text) in a session's pane, and
   * resolves once tmux shows it (`redraw` sessions only).
   */
  show(sessionId: string, screen: string): Promise<void>;
}

/**
 * `n` fake idle Codex sessions under `root` (`data/`, `work/`, `rollouts/`),
 * in the tmux session `hub` of the server at `socket`.
 *
 * @param root an empty directory of the caller's
 * @param options how many, their id prefix (`<prefix><i>`), the server and
 * the hub session's name
 */
export async function fakeCodexSessions(
  root: string,
  options: {
    n: number;
    prefix: string;
    socket: string;
    hub: string;
    /** The panes can be shown another screen ({@linkcode FakeCodex.show}). */
    redraw?: boolean;
  },
): Promise<FakeCodex> {
  const [data, cwd, rollouts] = ["data", "work", "rollouts"]
    .map((d) => join(root, d));
  for (const d of [data, cwd, rollouts]) await Deno.mkdir(d);
  // Without its last newline, or the 50-line screen scrolls by one.
  const screen = join(root, "screen.txt");
  const ready = (await Deno.readTextFile(READY)).replace(/\n$/, "");
  await Deno.writeTextFile(screen, ready);
  const tmux = new TmuxClient({ socket: options.socket });
  // The hub as aimax makes it (200×50, the size the fixtures have).
  const hubId = await tmux.ensureSession(options.hub, {
    cwd,
    windowName: "_hub",
  });
  const sessions: Record<string, SessionRecord> = {};
  const transcripts = new Map<string, string>();
  const startedAt = new Date().toISOString();
  for (let i = 0; i < options.n; i++) {
    const sessionId = `${options.prefix}${i}`;
    const jsonlPath = join(rollouts, `rollout-${sessionId}.jsonl`);
    const meta = { type: "session_meta", payload: { id: sessionId, cwd } };
    await Deno.writeTextFile(jsonlPath, JSON.stringify(meta) + "\n");
    transcripts.set(sessionId, jsonlPath);
    const own = join(root, `screen-${sessionId}.txt`);
    if (options.redraw) await Deno.writeTextFile(own, ready);
    const window = await tmux.newWindow(hubId, {
      name: sessionId,
      cwd,
      command: options.redraw
        ? ["sh", "-c", REDRAW_SCRIPT, "fake-codex", own]
        : ["sh", "-c", PANE_SCRIPT, "fake-codex", screen],
    });
    sessions[`tmux-codex/${sessionId}`] = {
      sessionId,
      backend: "tmux-codex",
      agentSessionId: sessionId,
      jsonlPath,
      cwd,
      flagRoot: cwd,
      model: null,
      useProxy: false,
      displayName: null,
      tmuxSocket: options.socket,
      hubId,
      startedAt,
      lastPromptAt: null,
      extra: {},
      ...window,
    };
  }
  await new StateStore(data).update((s) => void Object.assign(s, sessions));
  const show = async (sessionId: string, text: string) => {
    const record = sessions[`tmux-codex/${sessionId}`];
    if (!options.redraw || !record) throw new Error(`${sessionId}: no redraw`);
    const body = text.replace(/\n$/, "");
    await Deno.writeTextFile(join(root, `screen-${sessionId}.txt`), body);
    Deno.kill(record.panePid, "SIGUSR1");
    const want = body.split("\n").map((l) => l.trimEnd()).filter((l) => l)
      .join("\n");
    for (let i = 0; i < 200; i++) {
      const shown = (await tmux.paneText(record.paneId)).split("\n")
        .map((l) => l.trimEnd()).filter((l) => l).join("\n");
      if (shown === want) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${sessionId}: the pane does not show the screen`);
  };
  return { data, cwd, tmux, transcripts, show };
}

/**
 * Points aimax (this process: `setConfig`, fresh backends) at fake Codex
 * sessions made under `root` on tmux server `socket`, hub `hub`.
 *
 * @param world what {@linkcode fakeCodexSessions} made
 * @param where its root folder, tmux socket and hub
 */
export function useFakeCodex(
  world: { data: string },
  where: { root: string; socket: string; hub: string },
): void {
  setConfig({
    dataDir: world.data,
    tmuxSocket: where.socket,
    home: where.root,
    runPreflight: false,
    agents: {
      "tmux-codex": {
        codexHub: where.hub,
        codexHome: join(where.root, "codex-home"),
      },
    },
  });
  resetBackends();
}
