/**
 * The `AgentBackend` contract and its one implementation over tmux:
 * create, send, queue, interrupt, terminate and status, written once for
 * every agent. What differs between agents comes from an
 * {@linkcode AgentProfile}.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { withFileLock } from "./lock.ts";
import type { AgentProfile, ScreenState } from "./agents/agent.ts";
import type { TmuxAgentsConfig } from "./config.ts";
import {
  AgentScreenError,
  AimaxError,
  InputError,
  PreflightError,
  SessionExistsError,
  SessionNotFoundError,
} from "./errors.ts";
import {
  flagPaths,
  isJobDone,
  isJobFailed,
  writeRunningFlag,
} from "./flags.ts";
import {
  cleanDisplayName,
  sanitizePrompt,
  validateAgentSessionId,
  validateCwd,
  validateModel,
  validateSessionId,
} from "./inputs.ts";
import type { JsonlEntry } from "./jsonl/lines.ts";
import { type JsonlReadResult, readJsonl } from "./jsonl/reader.ts";
import {
  endOfCompleteLines,
  type Unsubscribe,
  watchJsonl,
} from "./jsonl/watcher.ts";
import { requireExecutable, TMUX_HINT } from "./preflight.ts";
import { recordPromptPaste } from "./recorder.ts";
import { type SessionRecord, StateStore } from "./state.ts";
import { type PaneInfo, TmuxClient } from "./tmux.ts";

/**
 * Options of {@linkcode AgentBackend.createNewSession}.
 *
 * @example
 * ```ts
 * import type { CreateSessionOptions } from "@aimax/cli";
 * const options: CreateSessionOptions = {
 *   sessionId: "demo-1",
 *   cwd: "/tmp/sandbox",
 *   initialPrompt: "Make a hello.py that prints hi.",
 *   model: "claude-sonnet-4-5",
 * };
 * ```
 */
export interface CreateSessionOptions {
  /** Session id; becomes the tmux window name. */
  sessionId: string;
  /** Working directory; must exist. */
  cwd: string;
  /** First message to send. */
  initialPrompt: string;
  /** Anchor for `running.flag`; defaults to `cwd`. */
  flagRoot?: string;
  /** Forwarded as `--model` to the agent. */
  model?: string;
  /** Force proxychains on or off; default is the config's `useProxyDefault`. */
  useProxy?: boolean;
  /** Free-form label persisted with the session. */
  displayName?: string;
  /** Resume this agent conversation (Claude uuid, Codex thread id). */
  agentSessionId?: string;
  /** Receives a short description of each start-up step (for a spinner). */
  onProgress?: (step: string) => void;
}

/**
 * Options of the send methods.
 *
 * @example
 * ```ts
 * import { get } from "@aimax/cli";
 * await get("tmux-claude-code").noPauseCurrentAndQueueQueryAtSession({
 *   sessionId: "demo-1",
 *   prompt: "Also add a README.",
 * });
 * ```
 */
export interface SendOptions {
  /** Session id. */
  sessionId: string;
  /** Message to send. */
  prompt: string;
  /** A new anchor for `running.flag`, kept for later prompts. */
  flagRoot?: string;
}

/**
 * What {@linkcode AgentBackend.createNewSession} returns.
 *
 * @example
 * ```ts
 * import { get } from "@aimax/cli";
 * const { agentSessionId, jsonlPath } = await get("tmux-codex").createNewSession({
 *   sessionId: "demo-2",
 *   cwd: "/tmp/sandbox",
 *   initialPrompt: "hi",
 * });
 * ```
 */
export interface CreateSessionResult {
  /** Session id. */
  sessionId: string;
  /** The agent's conversation id (Claude uuid, Codex thread id). */
  agentSessionId: string | null;
  /** The transcript being written. */
  jsonlPath: string | null;
  /** ISO start time. */
  startedAt: string;
}

/**
 * What {@linkcode AgentBackend.terminateSession} returns.
 *
 * @example
 * ```ts
 * import { get } from "@aimax/cli";
 * const { killed, wasWorking } = await get("tmux-codex").terminateSession("demo-2");
 * ```
 */
export interface TerminateResult {
  /** Session id. */
  sessionId: string;
  /** Whether a live window was killed. */
  killed: boolean;
  /** Whether a turn was running when it was stopped. */
  wasWorking: boolean;
}

/**
 * One row of {@linkcode AgentBackend.listSessions}.
 *
 * @example
 * ```ts
 * import { get } from "@aimax/cli";
 * for (const s of await get("tmux-codex").listSessions()) {
 *   console.log(s.sessionId, s.alive, s.working, s.jobGoalAccomplished);
 * }
 * ```
 */
export interface SessionStatus {
  /** Session id. */
  sessionId: string;
  /** Backend name. */
  backend: string;
  /** Agent conversation id. */
  agentSessionId: string | null;
  /** Transcript path. */
  jsonlPath: string | null;
  /** Working directory. */
  cwd: string | null;
  /** Flag anchor. */
  flagRoot: string | null;
  /** Model, if one was given. */
  model: string | null;
  /** Label. */
  displayName: string | null;
  /** ISO start time. */
  startedAt: string | null;
  /** ISO time of the last prompt. */
  lastPromptAt: string | null;
  /** tmux window id. */
  windowId: string;
  /** tmux pane id. */
  paneId: string;
  /** The agent process runs in its window. */
  alive: boolean;
  /** A turn is running. */
  working: boolean;
  /** `running.flag` is absent. */
  jobGoalAccomplished: boolean;
  /** `failed.flag` is present. */
  failed: boolean;
  /** A window in the hub that the state file does not know (e.g. left by a killed `create`). */
  orphan: boolean;
}

/**
 * Options of {@linkcode AgentBackend.getHistory}.
 *
 * @example
 * ```ts
 * import { get } from "@aimax/cli";
 * const { entries, sentinel } = await get("tmux-claude-code").getHistory("demo-1", {
 *   limit: 50,
 * });
 * ```
 */
export interface HistoryOptions {
  /** Start at this byte offset. */
  fromOffset?: number;
  /** Keep only the last `limit` entries. */
  limit?: number;
}

/**
 * Receives each transcript record (parsed) and its entry (offsets).
 *
 * @example
 * ```ts
 * import { get, summarizeRecord, type ThoughtListener } from "@aimax/cli";
 * const print: ThoughtListener = (raw, entry) =>
 *   console.log(entry.offset, summarizeRecord(raw));
 * const stop = await get("tmux-claude-code").getAgentRawThoughtStream("demo-1", print);
 * ```
 */
export type ThoughtListener = (raw: unknown, entry: JsonlEntry) => void;

/**
 * Options of {@linkcode AgentBackend.getAgentRawThoughtStream}.
 *
 * @example
 * ```ts
 * import { get } from "@aimax/cli";
 * const backend = get("tmux-claude-code");
 * const { sentinel } = await backend.getHistory("demo-1");
 * const stop = await backend.getAgentRawThoughtStream("demo-1", console.log, {
 *   fromOffset: sentinel,
 * });
 * ```
 */
export interface StreamOptions {
  /** Resume from this byte offset (a history sentinel) with a private watcher. */
  fromOffset?: number;
}

/**
 * The contract both backends implement.
 *
 * @example
 * ```ts
 * import { type AgentBackend, get } from "@aimax/cli";
 * const backend: AgentBackend = get("tmux-claude-code");
 * console.log(await backend.listSessions());
 * ```
 */
export interface AgentBackend {
  /** Backend name. */
  readonly name: string;
  /**
   * Starts a session and submits its first prompt.
   *
   * @param options what to start
   */
  createNewSession(options: CreateSessionOptions): Promise<CreateSessionResult>;
  /**
   * Sends a prompt without interrupting: queued if a turn runs.
   *
   * @param options session and prompt
   */
  noPauseCurrentAndQueueQueryAtSession(options: SendOptions): Promise<void>;
  /**
   * Interrupts the running turn (if any), then sends the prompt.
   *
   * @param options session and prompt
   */
  pauseCurrentAndResumeFromSession(options: SendOptions): Promise<void>;
  /**
   * Kills the session's window and archives it.
   *
   * @param sessionId session id
   */
  terminateSession(sessionId: string): Promise<TerminateResult>;
  /**
   * Whether the agent process runs.
   *
   * @param sessionId session id
   */
  isAlive(sessionId: string): Promise<boolean>;
  /**
   * Whether a turn is running.
   *
   * @param sessionId session id
   */
  isWorking(sessionId: string): Promise<boolean>;
  /**
   * Whether `running.flag` is gone.
   *
   * @param sessionId session id
   */
  isJobGoalAccomplished(sessionId: string): Promise<boolean>;
  /**
   * Whether `failed.flag` is present.
   *
   * @param sessionId session id
   */
  isFailed(sessionId: string): Promise<boolean>;
  /** Every session of this backend, with its status. */
  listSessions(): Promise<SessionStatus[]>;
  /**
   * The transcript so far, and the sentinel to resume a live stream from.
   *
   * @param sessionId session id
   * @param options offset and limit
   */
  getHistory(
    sessionId: string,
    options?: HistoryOptions,
  ): Promise<JsonlReadResult>;
  /**
   * Follows the transcript live.
   *
   * @param sessionId session id
   * @param listener receives each record
   * @param options `fromOffset` to resume from a sentinel
   * @returns a function that stops it
   */
  getAgentRawThoughtStream(
    sessionId: string,
    listener: ThoughtListener,
    options?: StreamOptions,
  ): Promise<Unsubscribe>;
}

/**
 * Time limits of a backend, in milliseconds.
 *
 * @example
 * ```ts
 * import { type BackendTimings, DEFAULT_TIMINGS } from "@aimax/cli";
 * const patient: BackendTimings = { ...DEFAULT_TIMINGS, readyTimeoutMs: 120_000 };
 * ```
 */
export interface BackendTimings {
  /** Start-up until the TUI is ready. */
  readyTimeoutMs: number;
  /** Wait for a prompt to show in the transcript before pressing Enter again. */
  landingWaitMs: number;
  /** How often Enter may be pressed again for one prompt. */
  submitRetries: number;
  /** Wait for an interruption to show. */
  interruptTimeoutMs: number;
  /** Screen polling interval. */
  pollMs: number;
}

/**
 * Default {@linkcode BackendTimings}.
 *
 * @example
 * ```ts
 * import { claudeProfile, configFromEnv, DEFAULT_TIMINGS, TmuxAgentBackend } from "@aimax/cli";
 * const backend = new TmuxAgentBackend(claudeProfile, configFromEnv(), {
 *   timings: { readyTimeoutMs: DEFAULT_TIMINGS.readyTimeoutMs * 2 },
 * });
 * ```
 */
export const DEFAULT_TIMINGS: BackendTimings = {
  readyTimeoutMs: 60_000,
  landingWaitMs: 4_000,
  submitRetries: 3,
  interruptTimeoutMs: 15_000,
  pollMs: 100,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The window every hub session opens with; never a session (ids start with a letter or digit). */
export const HUB_WINDOW = "_hub";

interface Landing {
  landed: Promise<void>;
  stop: () => Promise<void>;
}

/**
 * The tmux implementation of {@linkcode AgentBackend} for one agent profile.
 *
 * @example
 * ```ts
 * import { claudeProfile, configFromEnv, TmuxAgentBackend } from "@aimax/cli";
 * const backend = new TmuxAgentBackend(claudeProfile, configFromEnv());
 * console.log(await backend.listSessions());
 * ```
 */
export class TmuxAgentBackend implements AgentBackend {
  /** The agent this backend drives. */
  readonly profile: AgentProfile;
  /** The config snapshot taken at construction. */
  readonly config: TmuxAgentsConfig;
  readonly #store: StateStore;
  /** Time limits. */
  readonly timings: BackendTimings;

  /**
   * Creates an instance.
   *
   * @param profile the agent
   * @param config config snapshot
   * @param options time limits
   */
  constructor(
    profile: AgentProfile,
    config: TmuxAgentsConfig,
    options: { timings?: Partial<BackendTimings> } = {},
  ) {
    this.profile = profile;
    this.config = { ...config };
    this.#store = new StateStore(config.dataDir);
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  /** Backend name. */
  get name(): string {
    return this.profile.name;
  }

  #tmux(socket = this.config.tmuxSocket): TmuxClient {
    return new TmuxClient({ socket, bin: this.config.tmuxBin });
  }

  async #preflight(useProxy: boolean): Promise<void> {
    if (!this.config.runPreflight) return;
    await requireExecutable(this.config.tmuxBin, TMUX_HINT);
    await requireExecutable(
      this.profile.bin(this.config),
      this.profile.installHint,
    );
    if (useProxy) {
      await requireExecutable(
        "proxychains4",
        "Install proxychains-ng (`apt-get install proxychains4`) or create the session with useProxy: false",
      );
    }
  }

  async #record(sessionId: string): Promise<SessionRecord> {
    validateSessionId(sessionId);
    const record = await this.#store.get(this.name, sessionId);
    if (!record) throw new SessionNotFoundError(this.name, sessionId);
    return record;
  }

  async #pane(record: SessionRecord): Promise<PaneInfo | undefined> {
    const pane = await this.#tmux(record.tmuxSocket).paneInfo(record.paneId);
    // Pane ids restart with a new server: check it is still our window.
    if (
      !pane || pane.windowId !== record.windowId ||
      pane.panePid !== record.panePid
    ) return undefined;
    return pane;
  }

  async #alive(record: SessionRecord): Promise<boolean> {
    const pane = await this.#pane(record);
    return pane !== undefined && !pane.paneDead;
  }

  async #screen(record: SessionRecord): Promise<string> {
    return await this.#tmux(record.tmuxSocket).capturePane(record.paneId);
  }

  async #working(record: SessionRecord): Promise<boolean> {
    if (!(await this.#alive(record))) return false;
    return await this.#workingNow(record);
  }

  /** Whether a turn runs, by screen and (where the agent needs it) transcript. */
  async #workingNow(record: SessionRecord): Promise<boolean> {
    if (this.profile.isWorkingScreen(await this.#screen(record))) return true;
    if (!this.profile.transcriptWorking || !record.jsonlPath) return false;
    const { entries } = await readJsonl(record.jsonlPath, { limit: 200 });
    return this.profile.transcriptWorking(
      entries.map((e) => e.value),
      Date.parse(record.startedAt),
    );
  }

  /** {@inheritDoc AgentBackend.createNewSession} */
  async createNewSession(
    options: CreateSessionOptions,
  ): Promise<CreateSessionResult> {
    const sessionId = validateSessionId(options?.sessionId);
    const cwd = await validateCwd(options.cwd);
    const prompt = sanitizePrompt(options.initialPrompt);
    const model = options.model === undefined || options.model === null
      ? null
      : validateModel(options.model);
    const displayName = options.displayName === undefined
      ? null
      : cleanDisplayName(options.displayName);
    const agentSessionId = options.agentSessionId === undefined
      ? null
      : validateAgentSessionId(options.agentSessionId);
    const flagRoot = options.flagRoot ?? cwd;
    if (!isAbsolute(flagRoot)) {
      throw new InputError(
        `flagRoot must be an absolute path, got ${flagRoot}`,
      );
    }
    flagPaths(flagRoot, sessionId);
    const useProxy = options.useProxy ?? this.config.useProxyDefault;
    await this.#preflight(useProxy);

    return await this.#store.withSessionLock(this.name, sessionId, async () => {
      const existing = await this.#store.get(this.name, sessionId);
      if (existing) {
        if (await this.#alive(existing)) {
          throw new SessionExistsError(this.name, sessionId);
        }
        await this.#tmux(existing.tmuxSocket).killWindow(existing.windowId)
          .catch(() => false);
        await this.#store.archive(this.name, sessionId, {
          killed: false,
          wasWorking: false,
        });
      }
      // A window of this name that the state does not know is the leftover
      // of a `create` killed midway: end it rather than leave it running.
      for (const pane of await this.#orphanPanes()) {
        if (pane.windowName === sessionId) {
          await this.#tmux().killWindow(pane.windowId);
        }
      }
      const plan = await this.profile.plan({
        config: this.config,
        sessionId,
        cwd,
        model,
        useProxy,
        agentSessionId,
      });
      await this.profile.recordTrust(this.config, cwd);
      const tmux = this.#tmux();
      const hubId = await tmux.ensureSession(this.profile.hub(this.config), {
        cwd,
        windowName: HUB_WINDOW,
      });
      const window = await tmux.newWindow(hubId, {
        name: sessionId,
        cwd,
        env: plan.env,
        // `env` execs the agent (same pid) and, when the program is missing
        // or not executable, says so and exits 127/126: the preflight cannot
        // look under a scoped --allow-read, start-up still can tell.
        command: ["env", "--", ...plan.argv],
      });
      const startedAt = new Date().toISOString();
      const record: SessionRecord = {
        sessionId,
        backend: this.name,
        agentSessionId: plan.agentSessionId,
        jsonlPath: plan.jsonlPath,
        cwd,
        flagRoot,
        model,
        useProxy,
        displayName,
        tmuxSocket: this.config.tmuxSocket,
        hubId,
        windowId: window.windowId,
        paneId: window.paneId,
        panePid: window.panePid,
        startedAt,
        lastPromptAt: null,
        extra: {},
      };
      await this.#store.put(record);
      const progress = options.onProgress ?? (() => {});
      try {
        progress(`waiting for ${this.profile.label} to start`);
        await this.#waitReady(record, progress);
        progress("submitting the first prompt");
        const landed = await this.#submit(record, prompt, "idle");
        return {
          sessionId,
          agentSessionId: landed.agentSessionId,
          jsonlPath: landed.jsonlPath,
          startedAt,
        };
      } catch (error) {
        await tmux.killWindow(window.windowId).catch(() => false);
        await this.#store.update((sessions) => {
          delete sessions[`${this.name}/${sessionId}`];
        });
        throw error;
      }
    });
  }

  async #waitReady(
    record: SessionRecord,
    progress: (step: string) => void,
  ): Promise<void> {
    const tmux = this.#tmux(record.tmuxSocket);
    const deadline = Date.now() + this.timings.readyTimeoutMs;
    let trustPresses = 0;
    let lastTrustPress = 0;
    let screen = "";
    while (true) {
      const pane = await tmux.paneInfo(record.paneId);
      screen = pane ? await tmux.capturePane(record.paneId) : screen;
      if (!pane || pane.paneDead) {
        const missing = screen.match(
          /^env: (.*(?:No such file or directory|Permission denied))\s*$/m,
        );
        if (
          missing || pane?.paneDeadStatus === 127 ||
          pane?.paneDeadStatus === 126
        ) {
          throw new PreflightError(
            `${this.profile.label} could not be started${
              missing ? ` (${missing[1].trim()})` : ""
            }. ${this.profile.installHint} or set ${this.profile.binEnvVar} to its path`,
          );
        }
        throw new AgentScreenError(
          `${this.profile.label} exited during start-up${
            pane?.paneDeadStatus !== undefined
              ? ` (exit status ${pane.paneDeadStatus})`
              : ""
          }`,
          screen,
        );
      }
      const state: ScreenState = this.profile.classifyScreen(screen);
      if (state.kind === "ready") return;
      if (state.kind === "blocked") {
        throw new AgentScreenError(state.reason, screen);
      }
      if (
        state.kind === "trust" && trustPresses < 3 &&
        Date.now() - lastTrustPress > 1000
      ) {
        progress("accepting the folder-trust dialog");
        await tmux.sendKeys(record.paneId, ...this.profile.acceptTrustKeys);
        trustPresses++;
        lastTrustPress = Date.now();
      }
      if (Date.now() > deadline) {
        throw new AgentScreenError(
          `${this.profile.label} did not become ready within ${
            Math.round(this.timings.readyTimeoutMs / 1000)
          } s`,
          screen,
        );
      }
      await sleep(this.timings.pollMs);
    }
  }

  /** Waits until a record for `text` appears in `path` after `fromOffset`. */
  #landing(
    path: string,
    fromOffset: number,
    text: string,
  ): Landing {
    let resolve!: () => void;
    const landed = new Promise<void>((r) => resolve = r);
    const watching = watchJsonl(path, (entry) => {
      if (this.profile.isPromptRecord(entry.value, text)) resolve();
    }, { fromOffset });
    return {
      landed,
      stop: async () => {
        const stop = await watching;
        await stop();
      },
    };
  }

  async #submit(
    record: SessionRecord,
    text: string,
    mode: "idle" | "queue" | "interrupt",
  ): Promise<{ agentSessionId: string | null; jsonlPath: string | null }> {
    if (record.jsonlPath || !this.profile.discover) {
      return await this.#submitNow(record, text, mode);
    }
    // The transcript is found after the first prompt, by what was sent:
    // first prompts in one cwd go one at a time (across processes), so two
    // sessions started at once cannot take each other's thread.
    const digest = new Uint8Array(
      await crypto.subtle.digest(
        "SHA-256",
        new TextEncoder().encode(record.cwd),
      ),
    );
    const hex = [...digest.slice(0, 8)].map((b) =>
      b.toString(16).padStart(2, "0")
    ).join("");
    return await withFileLock(
      join(
        this.config.dataDir,
        "locks",
        `${this.name}.first-prompt.${hex}.lock`,
      ),
      () => this.#submitNow(record, text, mode),
    );
  }

  async #submitNow(
    record: SessionRecord,
    text: string,
    mode: "idle" | "queue" | "interrupt",
  ): Promise<{ agentSessionId: string | null; jsonlPath: string | null }> {
    const tmux = this.#tmux(record.tmuxSocket);
    if (!(await this.#alive(record))) {
      throw new AimaxError(
        "session_dead",
        `${this.profile.label} in session "${record.sessionId}" is not running (see \`aimax status\`); stop it and create it again`,
      );
    }
    if (mode === "interrupt") await this.#interrupt(record);
    else await this.#clearComposer(record);
    const working = mode === "queue" && await this.#workingNow(record);
    const key = working ? this.profile.queueKey : "Enter";

    let watch: Landing | undefined;
    if (record.jsonlPath) {
      // Where the transcript ends now (read from its end, not its start).
      const sentinel = await endOfCompleteLines(record.jsonlPath);
      watch = this.#landing(record.jsonlPath, sentinel, text);
    }
    await writeRunningFlag(record.flagRoot, {
      sessionId: record.sessionId,
      backend: this.name,
      submittedAt: new Date().toISOString(),
    });
    const sentAt = Date.now();
    let found = {
      agentSessionId: record.agentSessionId,
      jsonlPath: record.jsonlPath,
    };
    try {
      await tmux.paste(record.paneId, text);
      await this.#waitComposer(record);
      await tmux.sendKeys(record.paneId, key);
      let landed = false;
      for (let attempt = 0; attempt <= this.timings.submitRetries; attempt++) {
        if (watch) {
          landed = await this.#waitLanded(
            record,
            text,
            watch.landed,
            key === this.profile.queueKey && working,
          );
        } else {
          const discovered = await this.#discover(record, text, sentAt);
          if (discovered) {
            found = discovered;
            landed = true;
          }
        }
        if (landed || attempt === this.timings.submitRetries) break;
        // Not in the transcript yet: press the key again only when the
        // prompt still sits in the input box.
        const composer = this.profile.composerText(await this.#screen(record));
        if (composer !== "" && text.includes(composer.split("\n")[0].trim())) {
          await tmux.sendKeys(record.paneId, key);
        }
      }
      if (!landed) {
        throw new AgentScreenError(
          `the prompt did not reach ${this.profile.label}'s transcript`,
          await this.#screen(record).catch(() => ""),
        );
      }
    } catch (error) {
      await Deno.remove(flagPaths(record.flagRoot, record.sessionId).running)
        .catch(() => {});
      throw error;
    } finally {
      await watch?.stop();
    }
    recordPromptPaste({
      backendName: this.name,
      sessionId: record.sessionId,
      contentLength: text.length,
    });
    await this.#store.patch(this.name, record.sessionId, {
      lastPromptAt: new Date(sentAt).toISOString(),
      agentSessionId: found.agentSessionId,
      jsonlPath: found.jsonlPath,
      flagRoot: record.flagRoot,
    });
    return found;
  }

  /**
   * Waits up to `landingWaitMs` for the prompt to land: in the transcript,
   * or (for a queued prompt of an agent that shows its queue) on screen.
   */
  async #waitLanded(
    record: SessionRecord,
    text: string,
    transcript: Promise<void>,
    queued: boolean,
  ): Promise<boolean> {
    let done = false;
    transcript.then(() => done = true);
    const deadline = Date.now() + this.timings.landingWaitMs;
    while (!done && Date.now() < deadline) {
      if (
        queued &&
        this.profile.queuedOnScreen?.(await this.#screen(record), text)
      ) {
        return true;
      }
      await Promise.race([transcript, sleep(this.timings.pollMs)]);
    }
    return done;
  }

  /**
   * Waits (briefly) until the paste shows in the input box, which was
   * emptied before pasting: any text there is the paste (agents may show a
   * long paste as a placeholder, and tabs as spaces).
   */
  async #waitComposer(record: SessionRecord): Promise<void> {
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      if (this.profile.composerText(await this.#screen(record)) !== "") return;
      await sleep(30);
    }
  }

  async #discover(
    record: SessionRecord,
    text: string,
    sentAt: number,
  ): Promise<{ agentSessionId: string; jsonlPath: string } | undefined> {
    const discover = this.profile.discover;
    if (!discover) {
      throw new AimaxError(
        "no_transcript",
        `${this.profile.label} session "${record.sessionId}" has no known transcript`,
      );
    }
    const deadline = Date.now() + this.timings.landingWaitMs;
    while (true) {
      // Look and claim under the state lock, so two sessions started at
      // once can never take the same thread.
      const found = await this.#store.update(async (sessions) => {
        const taken = new Set<string>();
        for (const s of Object.values(sessions)) {
          if (s.sessionId === record.sessionId && s.backend === this.name) {
            continue;
          }
          if (s.agentSessionId) taken.add(s.agentSessionId);
        }
        const hit = await discover({
          config: this.config,
          record,
          prompt: text,
          sentAt,
          taken,
        });
        const own = sessions[`${this.name}/${record.sessionId}`];
        if (hit && own) {
          own.agentSessionId = hit.agentSessionId;
          own.jsonlPath = hit.jsonlPath;
        }
        return hit;
      });
      if (found || Date.now() > deadline) return found;
      await sleep(this.timings.pollMs);
    }
  }

  async #interrupt(record: SessionRecord): Promise<void> {
    const tmux = this.#tmux(record.tmuxSocket);
    if (!(await this.#workingNow(record))) return;
    await tmux.sendKeys(record.paneId, ...this.profile.interruptKeys);
    const deadline = Date.now() + this.timings.interruptTimeoutMs;
    let idleSeen = 0;
    let pressed = Date.now();
    while (true) {
      if (!(await this.#workingNow(record))) {
        if (++idleSeen >= 2) break;
      } else {
        idleSeen = 0;
        if (Date.now() - pressed > 3000) {
          await tmux.sendKeys(record.paneId, ...this.profile.interruptKeys);
          pressed = Date.now();
        }
      }
      if (Date.now() > deadline) {
        throw new AgentScreenError(
          `${this.profile.label} did not stop its turn after ${
            this.profile.interruptKeys.join(" ")
          }`,
          await this.#screen(record),
        );
      }
      await sleep(this.timings.pollMs);
    }
    // An early interrupt can hand the prompt back to the input box: clear it.
    await this.#clearComposer(record);
  }

  /**
   * Empties the input box (C-u, line by line): text left there by an
   * interrupt, or by a sender killed between paste and Enter, must not
   * become part of the next prompt. Stops when the box is empty, or when
   * C-u changes nothing twice in a row (a placeholder, not text).
   */
  async #clearComposer(record: SessionRecord): Promise<void> {
    const tmux = this.#tmux(record.tmuxSocket);
    let before = this.profile.composerText(await this.#screen(record));
    let unchanged = 0;
    for (let i = 0; i < 40 && before !== "" && unchanged < 2; i++) {
      await tmux.sendKeys(record.paneId, "C-u");
      await sleep(this.timings.pollMs);
      const after = this.profile.composerText(await this.#screen(record));
      unchanged = after === before ? unchanged + 1 : 0;
      before = after;
    }
  }

  async #send(
    options: SendOptions,
    mode: "queue" | "interrupt",
  ): Promise<void> {
    const sessionId = validateSessionId(options?.sessionId);
    const prompt = sanitizePrompt(options.prompt);
    if (options.flagRoot !== undefined && !isAbsolute(options.flagRoot)) {
      throw new InputError(
        `flagRoot must be an absolute path, got ${options.flagRoot}`,
      );
    }
    await this.#store.withSessionLock(this.name, sessionId, async () => {
      const record = await this.#record(sessionId);
      if (options.flagRoot) record.flagRoot = options.flagRoot;
      await this.#submit(record, prompt, mode);
    });
  }

  /** {@inheritDoc AgentBackend.noPauseCurrentAndQueueQueryAtSession} */
  async noPauseCurrentAndQueueQueryAtSession(
    options: SendOptions,
  ): Promise<void> {
    await this.#send(options, "queue");
  }

  /** {@inheritDoc AgentBackend.pauseCurrentAndResumeFromSession} */
  async pauseCurrentAndResumeFromSession(options: SendOptions): Promise<void> {
    await this.#send(options, "interrupt");
  }

  /** {@inheritDoc AgentBackend.terminateSession} */
  async terminateSession(sessionId: string): Promise<TerminateResult> {
    validateSessionId(sessionId);
    return await this.#store.withSessionLock(this.name, sessionId, async () => {
      const record = await this.#store.get(this.name, sessionId);
      if (!record) {
        // No state entry: an orphan window of that name (left by a killed
        // `create`) is still ours to end.
        const orphans = (await this.#orphanPanes()).filter((pane) =>
          pane.windowName === sessionId
        );
        if (orphans.length === 0) {
          throw new SessionNotFoundError(this.name, sessionId);
        }
        for (const orphan of orphans) {
          await this.#tmux().killWindow(orphan.windowId);
        }
        return { sessionId, killed: true, wasWorking: false };
      }
      const wasWorking = await this.#working(record).catch(() => false);
      const alive = await this.#alive(record).catch(() => false);
      const killed = alive &&
        await this.#tmux(record.tmuxSocket).killWindow(record.windowId);
      if (!alive) {
        // A dead pane kept by remain-on-exit: remove it too.
        const pane = await this.#pane(record);
        if (pane) {
          await this.#tmux(record.tmuxSocket).killWindow(record.windowId);
        }
      }
      await this.profile.cleanup?.(this.config, record);
      await this.#store.archive(this.name, sessionId, { killed, wasWorking });
      return { sessionId, killed, wasWorking };
    });
  }

  /** {@inheritDoc AgentBackend.isAlive} */
  async isAlive(sessionId: string): Promise<boolean> {
    return await this.#alive(await this.#record(sessionId));
  }

  /** {@inheritDoc AgentBackend.isWorking} */
  async isWorking(sessionId: string): Promise<boolean> {
    return await this.#working(await this.#record(sessionId));
  }

  /** {@inheritDoc AgentBackend.isJobGoalAccomplished} */
  async isJobGoalAccomplished(sessionId: string): Promise<boolean> {
    const record = await this.#record(sessionId);
    return await isJobDone(record.flagRoot, record.sessionId);
  }

  /** {@inheritDoc AgentBackend.isFailed} */
  async isFailed(sessionId: string): Promise<boolean> {
    const record = await this.#record(sessionId);
    return await isJobFailed(record.flagRoot, record.sessionId);
  }

  /**
   * The status of one session.
   *
   * @param sessionId session id
   */
  async status(sessionId: string): Promise<SessionStatus> {
    return await this.#status(await this.#record(sessionId));
  }

  async #status(record: SessionRecord): Promise<SessionStatus> {
    const alive = await this.#alive(record).catch(() => false);
    return {
      sessionId: record.sessionId,
      backend: this.name,
      agentSessionId: record.agentSessionId,
      jsonlPath: record.jsonlPath,
      cwd: record.cwd,
      flagRoot: record.flagRoot,
      model: record.model,
      displayName: record.displayName,
      startedAt: record.startedAt,
      lastPromptAt: record.lastPromptAt,
      windowId: record.windowId,
      paneId: record.paneId,
      alive,
      working: alive && await this.#workingNow(record).catch(() => false),
      jobGoalAccomplished: await isJobDone(record.flagRoot, record.sessionId),
      failed: await isJobFailed(record.flagRoot, record.sessionId),
      orphan: false,
    };
  }

  /** {@inheritDoc AgentBackend.listSessions} */
  async listSessions(): Promise<SessionStatus[]> {
    const records = (await this.#store.list()).filter((r) =>
      r.backend === this.name
    );
    const rows = await Promise.all(records.map((r) => this.#status(r)));
    for (const pane of await this.#orphanPanes(records)) {
      rows.push({
        sessionId: pane.windowName,
        backend: this.name,
        agentSessionId: null,
        jsonlPath: null,
        cwd: null,
        flagRoot: null,
        model: null,
        displayName: null,
        startedAt: null,
        lastPromptAt: null,
        windowId: pane.windowId,
        paneId: pane.paneId,
        alive: !pane.paneDead,
        working: false,
        jobGoalAccomplished: true,
        failed: false,
        orphan: true,
      });
    }
    return rows;
  }

  /**
   * Windows in this backend's hub that the state file does not know (left
   * by a `create` killed before it recorded its window).
   *
   * @param records the live records (read from the state when omitted)
   */
  async #orphanPanes(records?: SessionRecord[]): Promise<PaneInfo[]> {
    records ??= (await this.#store.list()).filter((r) =>
      r.backend === this.name
    );
    const tmux = this.#tmux();
    const hubId = await tmux.findSession(this.profile.hub(this.config));
    if (!hubId) return [];
    const known = new Set(records.map((r) => r.windowId));
    return (await tmux.listPanes({ sessionId: hubId })).filter((pane) =>
      !known.has(pane.windowId) && pane.windowName !== HUB_WINDOW
    );
  }

  /** {@inheritDoc AgentBackend.getHistory} */
  async getHistory(
    sessionId: string,
    options: HistoryOptions = {},
  ): Promise<JsonlReadResult> {
    const record = await this.#record(sessionId);
    if (!record.jsonlPath) {
      return {
        entries: [],
        total: 0,
        truncated: false,
        sentinel: options.fromOffset ?? 0,
      };
    }
    return await readJsonl(record.jsonlPath, options);
  }

  /** {@inheritDoc AgentBackend.getAgentRawThoughtStream} */
  async getAgentRawThoughtStream(
    sessionId: string,
    listener: ThoughtListener,
    options: StreamOptions = {},
  ): Promise<Unsubscribe> {
    const record = await this.#record(sessionId);
    if (!record.jsonlPath) {
      throw new AimaxError(
        "no_transcript",
        `session "${sessionId}" has no transcript yet`,
      );
    }
    return await watchJsonl(
      record.jsonlPath,
      (entry) => listener(entry.value, entry),
      { fromOffset: options.fromOffset },
    );
  }
}
