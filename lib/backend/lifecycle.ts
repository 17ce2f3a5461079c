/**
 * A session's life: create (window, start-up, first prompt), terminate,
 * and the orphan windows a killed `create` can leave behind.
 *
 * @module
 */
import { dirname, join } from "../path.ts";
import {
  AgentScreenError,
  type AimaxError,
  InputError,
  PreflightError,
  SessionExistsError,
  SessionNotFoundError,
} from "../errors.ts";
import { flagPaths } from "../flags.ts";
import {
  cleanDisplayName,
  sanitizePrompt,
  validateAgentSessionId,
  validateCwd,
  validateFlagRoot,
  validateModel,
  validateSessionId,
} from "../inputs.ts";
import { pollUntil } from "../poll.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../private.ts";
import type { SignalsBlock } from "../agents/agent.ts";
import {
  type PermissionMode,
  type SessionPermission,
  validateAgentArgs,
  validatePermissionMode,
} from "../agent_options.ts";
import { untestedVersion } from "../agents/tested_range.ts";
import {
  hasRules,
  parseRule,
  type SessionRules,
  validateRules,
} from "../rules.ts";
import { signalFiles } from "../signals/files.ts";
import { installHookScript } from "../signals/hook_script.ts";
import { requireExecutable, TMUX_HINT } from "../preflight.ts";
import type { SessionRecord, SessionWorktree } from "../state.ts";
import type { PaneInfo } from "../tmux/mod.ts";
import type {
  CreateSessionOptions,
  CreateSessionResult,
  TerminateOptions,
  TerminateResult,
} from "./contract.ts";
import { type BackendContext, HUB_WINDOW, paneOf, tmuxOf } from "./context.ts";
import { refuseExitCommand, submit } from "./submit.ts";
import {
  finishWorktree,
  type PreparedWorktree,
  prepareWorktree,
  validateWorktreeOptions,
} from "./worktree.ts";

/**
 * Starts a session and submits its first prompt. A `create` that fails
 * after its window started archives the record (with the agent session id,
 * so the conversation can be resumed) and ends the window.
 *
 * @param ctx the backend
 * @param options what to start
 */
export async function createSession(
  ctx: BackendContext,
  options: CreateSessionOptions,
  internal: { revive?: { worktree?: SessionWorktree } } = {},
): Promise<CreateSessionResult> {
  const sessionId = validateSessionId(options?.sessionId);
  const cwd = await validateCwd(options.cwd);
  // A revived session gets no first prompt: its conversation goes on.
  const prompt = internal.revive ? null : sanitizePrompt(options.initialPrompt);
  if (prompt !== null) refuseExitCommand(ctx.profile, prompt);
  const model = options.model === undefined || options.model === null
    ? null
    : validateModel(options.model);
  const displayName = options.displayName === undefined
    ? null
    : cleanDisplayName(options.displayName);
  const agentSessionId = options.agentSessionId === undefined
    ? null
    : validateAgentSessionId(options.agentSessionId);
  if (options.flagRoot !== undefined) validateFlagRoot(options.flagRoot);
  // A resumed conversation starts again with the options it had, unless
  // the caller gives its own.
  const given = (options.permissionMode ?? options.agentArgs ?? options.allow ??
    options.deny ?? null) !== null;
  const earlier = agentSessionId && !given
    ? await earlierOptions(ctx, agentSessionId)
    : undefined;
  const wantedMode = options.permissionMode ?? earlier?.permissionMode;
  if (earlier?.permissionMode === "bypass" && !options.allowBypass) {
    throw new InputError(
      `conversation ${agentSessionId} ran in permission mode bypass: give --allow-bypass (allowBypass: true) again to resume it so, or another --permission-mode`,
    );
  }
  const permissionMode = wantedMode === undefined || wantedMode === null
    ? undefined
    : validatePermissionMode(wantedMode, {
      allowBypass: options.allowBypass,
    });
  // The agent's own refusals (e.g. bypass as root) come before anything.
  if (permissionMode) ctx.profile.permissionArgs(permissionMode);
  const wantedArgs = options.agentArgs ?? earlier?.agentArgs;
  const agentArgs = wantedArgs === undefined || wantedArgs === null
    ? []
    : validateAgentArgs(wantedArgs, {
      owned: ctx.profile.ownedArgs,
      label: ctx.profile.label,
    });
  const rules = options.allow === undefined && options.deny === undefined
    ? earlier?.rules ?? { allow: [], deny: [] }
    : validateRules({ allow: options.allow, deny: options.deny });
  if (hasRules(rules)) {
    if (!ctx.profile.checkRules) {
      throw new InputError(
        `${ctx.profile.label} has no per-run mechanism for rules that aimax can use: create the session without --allow/--deny`,
      );
    }
    ctx.profile.checkRules(rules);
  }
  const wantedWorktree = options.worktree === undefined ||
      options.worktree === null
    ? undefined
    : validateWorktreeOptions(options.worktree);
  const useProxy = options.useProxy ?? ctx.config.useProxyDefault;
  await preflight(ctx, useProxy);

  return await ctx.store.withSessionLock(ctx.name, sessionId, async () => {
    const existing = await ctx.store.get(ctx.name, sessionId);
    if (existing) {
      if (await paneOf(ctx, existing).alive()) {
        throw new SessionExistsError(ctx.name, sessionId);
      }
      await tmuxOf(ctx, existing.tmuxSocket).killWindow(existing.windowId)
        .catch(() => false);
      await ctx.store.archive(ctx.name, sessionId, {
        killed: false,
        wasWorking: false,
      });
    }
    // A window of this name that the state does not know is the leftover
    // of a `create` killed midway: end it rather than leave it running.
    for (const pane of await orphanPanes(ctx)) {
      if (pane.windowName === sessionId) await endWindow(ctx, pane);
    }
    const progress = options.onProgress ?? (() => {});
    // Its own worktree: made first, so that nothing runs in it before it
    // is whole; taken back if the create fails.
    const kept = internal.revive?.worktree;
    const prepared: PreparedWorktree | undefined = kept
      // The worktree it had, as it is: never taken back.
      ? { worktree: kept, keep: async () => {}, undo: async () => {} }
      : wantedWorktree
      ? await prepareWorktree(ctx, {
        sessionId,
        cwd,
        worktree: wantedWorktree,
        progress,
      })
      : undefined;
    try {
      return await startSession(ctx, options, {
        sessionId,
        cwd: prepared?.worktree.path ?? cwd,
        worktree: prepared,
        prompt,
        model,
        displayName,
        agentSessionId,
        permissionMode,
        agentArgs,
        rules,
        useProxy,
        progress,
      });
    } catch (error) {
      await prepared?.undo();
      throw error;
    }
  });
}

/** What {@linkcode startSession} starts, validated. */
interface StartPlan {
  sessionId: string;
  cwd: string;
  worktree: PreparedWorktree | undefined;
  /** The first prompt; `null` for a revived session. */
  prompt: string | null;
  model: string | null;
  displayName: string | null;
  agentSessionId: string | null;
  permissionMode: PermissionMode | undefined;
  agentArgs: string[];
  rules: SessionRules;
  useProxy: boolean;
  progress: (step: string) => void;
}

/**
 * Said at `create` when a session runs in the bypass mode with a shell deny
 * rule: an agent matches a rule against a command as it reads the command
 * (README, "Rules"), and in this mode nothing asks about the others.
 */
const BYPASS_DENY_WARNING =
  'in the bypass mode nothing asks: a shell command your deny rules do not match as written (behind a wrapper such as `env rm`, or with a quoted or built name such as `"rm"` or `$c`) can run (see the README\'s Rules)';

/**
 * Starts the agent's window in `plan.cwd` (the session's folder or its
 * worktree), records the session and submits the first prompt. Runs under
 * the session's lock.
 */
async function startSession(
  ctx: BackendContext,
  options: CreateSessionOptions,
  plan: StartPlan,
): Promise<CreateSessionResult> {
  const {
    sessionId,
    cwd,
    model,
    displayName,
    agentSessionId,
    permissionMode,
    agentArgs,
    rules,
    useProxy,
    progress,
    prompt,
  } = plan;
  // A worktree's flags live beside it, not in it: they are aimax's, not
  // the session's changes (its diff, its merge).
  const flagRoot = validateFlagRoot(
    options.flagRoot ?? (plan.worktree ? dirname(cwd) : cwd),
  );
  flagPaths(flagRoot, sessionId);
  {
    // Turn signals: a fresh events file, and the hook that appends to it.
    const files = signalFiles(ctx.config.dataDir, {
      backend: ctx.name,
      sessionId,
    });
    await Deno.mkdir(dirname(files.events), {
      recursive: true,
      mode: PRIVATE_DIR_MODE,
    });
    // Prompts and answers: the user's alone (the hook appends to it).
    await Deno.writeTextFile(files.events, "", { mode: PRIVATE_FILE_MODE });
    await Deno.chmod(files.events, PRIVATE_FILE_MODE);
    const launch = await ctx.profile.plan({
      config: ctx.config,
      sessionId,
      cwd,
      model,
      useProxy,
      agentSessionId,
      permissionMode,
      agentArgs,
      rules,
      signals: {
        hook: await installHookScript(ctx.config.dataDir),
        events: files.events,
        runFile: files.runFile,
      },
    });
    await ctx.profile.recordTrust(ctx.config, cwd);
    const permission: SessionPermission = permissionMode
      ? { mode: permissionMode, source: "option", detail: "--permission-mode" }
      : await ctx.profile.defaultPermission(ctx.config, cwd);
    if (
      permission.mode === "bypass" &&
      rules.deny.some((rule) => parseRule(rule).kind === "bash")
    ) {
      options.onWarning?.(BYPASS_DENY_WARNING);
    }
    // What keeps the agent's hooks from firing: read while it starts.
    const blocked = options.onWarning
      ? ctx.profile.signalsBlocked?.(ctx.config, cwd).catch(() => undefined)
      : undefined;
    const tmux = tmuxOf(ctx);
    const hubId = await tmux.ensureSession(ctx.profile.hub(ctx.config), {
      cwd,
      windowName: HUB_WINDOW,
      // tmux 3.3 has focus-events only server-wide: set on aimax's own
      // server (AIMAX_TMUX_SOCKET) when aimax starts it, never on the
      // default one a person uses too. Agents then see focus changes.
      serverOptions: ctx.config.tmuxSocket ? { "focus-events": "on" } : {},
    });
    const window = await tmux.newWindow(hubId, {
      name: sessionId,
      cwd,
      env: launch.env,
      // `env` execs the agent (same pid) and, when the program is missing
      // or not executable, says so and exits 127/126: the preflight cannot
      // look under a scoped --allow-read, start-up still can tell.
      command: ["env", "--", ...launch.argv],
    });
    const startedAt = new Date().toISOString();
    const record: SessionRecord = {
      sessionId,
      backend: ctx.name,
      agentSessionId: launch.agentSessionId,
      jsonlPath: launch.jsonlPath,
      cwd,
      flagRoot,
      model,
      permission,
      ...(permissionMode ? { permissionMode } : {}),
      ...(agentArgs.length > 0 ? { agentArgs } : {}),
      ...(hasRules(rules) ? { rules } : {}),
      ...(plan.worktree ? { worktree: plan.worktree.worktree } : {}),
      useProxy,
      displayName,
      tmuxSocket: ctx.config.tmuxSocket,
      hubId,
      windowId: window.windowId,
      paneId: window.paneId,
      panePid: window.panePid,
      startedAt,
      lastPromptAt: null,
      extra: {},
    };
    await ctx.store.put(record);
    // The record holds the worktree now: a recovery must leave it be.
    await plan.worktree?.keep();
    try {
      progress(`waiting for ${ctx.profile.label} to start`);
      const screen = await waitReady(ctx, record, progress);
      // An agent that drops keys pressed right after its ready screen.
      if (ctx.timings.readySettleMs > 0) {
        await new Promise((r) => setTimeout(r, ctx.timings.readySettleMs));
      }
      if (options.onWarning) {
        await warnVersion(ctx, { screen, warn: options.onWarning });
      }
      const block = await blocked;
      if (block) options.onWarning?.(hooksOffWarning(ctx, block));
      if (prompt === null) {
        return {
          sessionId,
          agentSessionId: record.agentSessionId,
          jsonlPath: record.jsonlPath,
          startedAt,
          ...(record.worktree ? { worktree: record.worktree } : {}),
        };
      }
      progress("submitting the first prompt");
      const landed = await submit(ctx, record, { text: prompt, mode: "first" });
      return {
        sessionId,
        agentSessionId: landed.agentSessionId,
        jsonlPath: landed.jsonlPath,
        startedAt,
        ...(record.worktree ? { worktree: record.worktree } : {}),
      };
    } catch (error) {
      await endWindow(ctx, { ...window, paneDead: false }).catch(() => false);
      await ctx.store.archive(ctx.name, sessionId, {
        killed: true,
        wasWorking: false,
        failure: error instanceof Error
          ? error.message.split("\n")[0]
          : String(error),
      });
      throw error;
    }
  }
}

/**
 * The permission mode and agent arguments the latest session of this
 * backend on conversation `agentSessionId` was created with (live or
 * archived), if it had any.
 */
async function earlierOptions(
  ctx: BackendContext,
  agentSessionId: string,
): Promise<
  Pick<SessionRecord, "permissionMode" | "agentArgs" | "rules"> | undefined
> {
  const records: SessionRecord[] = [
    ...await ctx.store.archived(),
    ...await ctx.store.list(),
  ];
  const last = records.findLast((r) =>
    r.backend === ctx.name && r.agentSessionId === agentSessionId
  );
  if (
    !last ||
    (!last.permissionMode && !last.agentArgs?.length && !hasRules(last.rules))
  ) {
    return undefined;
  }
  return {
    permissionMode: last.permissionMode,
    agentArgs: last.agentArgs,
    rules: last.rules,
  };
}

async function preflight(ctx: BackendContext, useProxy: boolean) {
  if (!ctx.config.runPreflight) return;
  await requireExecutable(ctx.config.tmuxBin, TMUX_HINT);
  await requireExecutable(ctx.profile.bin(ctx.config), ctx.profile.installHint);
  if (useProxy) {
    await requireExecutable(
      "proxychains4",
      "Install proxychains-ng (`apt-get install proxychains4`) or create the session with useProxy: false",
    );
  }
}

/**
 * Warns (once per agent version, remembered in the data dir) when the
 * agent's start-up screen shows a version outside the tested range: older
 * than the oldest (upgrade) or newer than the newest (check it; never
 * downgrade).
 *
 * @param ctx the backend
 * @param options the start-up screen and where the warning goes
 */
export async function warnVersion(
  ctx: BackendContext,
  options: { screen: string; warn: (message: string) => void },
): Promise<void> {
  const { profile } = ctx;
  const version = profile.versionFromScreen(options.screen);
  const untested = version && untestedVersion(version, profile.testedRange);
  if (!version || !untested) return;
  const marker = join(
    ctx.config.dataDir,
    "warned",
    `${ctx.name}-${version.replace(/[^0-9A-Za-z.-]/g, "_")}`,
  );
  try {
    await Deno.stat(marker);
    return;
  } catch {
    // not warned yet
  }
  options.warn(
    `${profile.label} ${version} is ${untested.what} with this aimax: ${untested.advice}`,
  );
  await Deno.mkdir(dirname(marker), {
    recursive: true,
    mode: PRIVATE_DIR_MODE,
  });
  await Deno.writeTextFile(marker, new Date().toISOString());
}

/**
 * The one-line warning of `create` when the agent's own settings keep
 * aimax's hooks from firing.
 */
function hooksOffWarning(ctx: BackendContext, block: SignalsBlock): string {
  return `${ctx.profile.label}'s hooks are turned off for this session (${block.detail}): aimax's hooks will not fire; turns, answers and state are read from the transcript, a little slower. To restore them: ${block.fix}`;
}

/**
 * Waits for the input box after start-up, answering the folder-trust
 * dialog (the one dialog aimax answers, on purpose) and failing with the
 * screen on any other dialog, a dead pane or the time limit; returns the
 * screen that showed the box.
 */
async function waitReady(
  ctx: BackendContext,
  record: SessionRecord,
  progress: (step: string) => void,
): Promise<string> {
  const tmux = tmuxOf(ctx, record.tmuxSocket);
  const label = ctx.profile.label;
  let trustPresses = 0;
  let lastTrustPress = 0;
  let screen = "";
  const ready = await pollUntil(async () => {
    const pane = await tmux.paneInfo(record.paneId);
    // A dead pane's text includes what tmux's "Pane is dead" line scrolled
    // away: the first line of a program that failed at once (env's
    // complaint).
    screen = !pane
      ? screen
      : pane.paneDead
      ? await tmux.deadPaneText(record.paneId)
      : await tmux.paneText(record.paneId);
    if (!pane || pane.paneDead) throw startFailure(ctx, { pane, screen });
    const state = ctx.profile.readScreen(screen);
    if (state.kind === "input") {
      return await ctx.profile.settled?.(ctx.config, record) ?? true;
    }
    if (state.kind !== "dialog") return false;
    if (state.purpose !== "trust") {
      throw new AgentScreenError(
        state.hint ?? `${label} shows a dialog at start-up`,
        screen,
      );
    }
    if (
      trustPresses < ctx.timings.trustPresses &&
      Date.now() - lastTrustPress > ctx.timings.trustRepressMs
    ) {
      progress("accepting the folder-trust dialog");
      await tmux.sendKeys(
        record.paneId,
        ...ctx.profile.acceptTrustKeys(screen),
      );
      trustPresses++;
      lastTrustPress = Date.now();
    }
    return false;
  }, {
    timeoutMs: ctx.timings.readyTimeoutMs,
    intervalMs: ctx.timings.pollMs,
  });
  if (ready.timedOut) {
    throw new AgentScreenError(
      `${label} did not become ready within ${
        Math.round(ctx.timings.readyTimeoutMs / 1000)
      } s`,
      screen,
    );
  }
  return screen;
}

function startFailure(
  ctx: BackendContext,
  options: { pane: PaneInfo | undefined; screen: string },
): AimaxError {
  const { pane, screen } = options;
  const { label, installHint, binEnvVar } = ctx.profile;
  // `env: 'x': …` from aimax's own env (the program is missing);
  // `/usr/bin/env: 'node': …` from the program's `#!/usr/bin/env node` (its
  // interpreter is missing from the PATH it was started with).
  const missing = screen.match(
    /^((\S*\/)?env: .*(?:No such file or directory|Permission denied))\s*$/m,
  );
  if (
    missing || pane?.paneDeadStatus === 127 || pane?.paneDeadStatus === 126
  ) {
    const why = missing ? ` (${missing[1].trim()})` : "";
    return new PreflightError(
      missing?.[2]
        ? `${label} could not be started${why}: the interpreter its program names is not on the PATH aimax starts it with`
        : `${label} could not be started${why}. ${installHint} or set ${binEnvVar} to its path`,
    );
  }
  return new AgentScreenError(
    `${label} exited during start-up${
      pane?.paneDeadStatus !== undefined
        ? ` (exit status ${pane.paneDeadStatus})`
        : ""
    }`,
    screen,
  );
}

/**
 * Kills a window of this backend's agent: an agent that outlives its
 * window (its profile's `stopProcess`) is ended first, while its
 * pane still runs it.
 *
 * @returns whether the window was there to kill
 */
async function endWindow(
  ctx: BackendContext,
  pane: Pick<PaneInfo, "windowId" | "panePid" | "paneDead">,
  socket?: string,
): Promise<boolean> {
  if (ctx.profile.stopProcess && !pane.paneDead && pane.panePid > 0) {
    await ctx.profile.stopProcess(pane.panePid);
  }
  return await tmuxOf(ctx, socket).killWindow(pane.windowId);
}

/**
 * Kills the session's window (or an orphan window of that name) and
 * archives it. Its worktree is removed when it holds nothing unmerged,
 * else kept (`discard`: removed with its branch). A session stopped before
 * whose worktree was kept: only the worktree is looked at again.
 *
 * @param ctx the backend
 * @param sessionId session id
 * @param options `discard`
 */
export async function terminateSession(
  ctx: BackendContext,
  sessionId: string,
  options: TerminateOptions = {},
): Promise<TerminateResult> {
  validateSessionId(sessionId);
  return await ctx.store.withSessionLock(ctx.name, sessionId, async () => {
    const record = await ctx.store.get(ctx.name, sessionId);
    if (!record) {
      // No state entry: an orphan window of that name (left by a killed
      // `create`) is still ours to end.
      const orphans = (await orphanPanes(ctx)).filter((pane) =>
        pane.windowName === sessionId
      );
      for (const orphan of orphans) await endWindow(ctx, orphan);
      if (orphans.length > 0) {
        return { sessionId, killed: true, wasWorking: false };
      }
      // A stopped session whose worktree was kept.
      const ended = await keptWorktreeOf(ctx, sessionId);
      if (!ended?.worktree) throw new SessionNotFoundError(ctx.name, sessionId);
      const worktree = await finishWorktree(ctx, {
        sessionId,
        worktree: ended.worktree,
      }, options);
      return { sessionId, killed: false, wasWorking: false, worktree };
    }
    const pane = paneOf(ctx, record);
    const info = await pane.info().catch(() => undefined);
    const alive = info !== undefined && !info.paneDead;
    const wasWorking = alive &&
      await pane.view().then((v) => pane.working(v.state)).catch(() => false);
    // A dead pane kept by remain-on-exit is removed too.
    const killed = info !== undefined &&
      await endWindow(ctx, info, record.tmuxSocket) && alive;
    await ctx.profile.cleanup?.(ctx.config, record);
    await ctx.store.archive(ctx.name, sessionId, { killed, wasWorking });
    if (!record.worktree) return { sessionId, killed, wasWorking };
    const worktree = await finishWorktree(ctx, {
      sessionId,
      worktree: record.worktree,
    }, options);
    return { sessionId, killed, wasWorking, worktree };
  });
}

/**
 * The latest stopped session `sessionId` of this backend whose worktree is
 * still there (kept by `stop`), if any.
 *
 * @param ctx the backend
 * @param sessionId session id
 */
export async function keptWorktreeOf(
  ctx: BackendContext,
  sessionId: string,
): Promise<SessionRecord | undefined> {
  const last = (await ctx.store.archived()).findLast((r) =>
    r.backend === ctx.name && r.sessionId === sessionId && r.worktree
  );
  if (!last?.worktree) return undefined;
  const there = await Deno.stat(last.worktree.path).then(
    () => true,
    () => false,
  );
  return there ? last : undefined;
}

/**
 * The record of session `sessionId` for its worktree: the live one, else a
 * stopped one whose worktree was kept.
 *
 * @param ctx the backend
 * @param sessionId session id
 */
export async function worktreeRecordOf(
  ctx: BackendContext,
  sessionId: string,
): Promise<SessionRecord> {
  validateSessionId(sessionId);
  const live = await ctx.store.get(ctx.name, sessionId);
  if (live) return live;
  const ended = await keptWorktreeOf(ctx, sessionId);
  if (!ended) throw new SessionNotFoundError(ctx.name, sessionId);
  return ended;
}

/**
 * Starts session `sessionId` again when its window or tmux server is gone:
 * in the same folder (its worktree, if it has one), on the same agent
 * conversation, with the options it had, under the same id. Its history
 * continues where it stopped. A session whose agent still runs is
 * refused, as is one whose conversation was never known.
 *
 * @param ctx the backend
 * @param sessionId session id
 * @param options progress and warnings
 */
export async function reviveSession(
  ctx: BackendContext,
  sessionId: string,
  options: Pick<CreateSessionOptions, "onProgress" | "onWarning"> = {},
): Promise<CreateSessionResult> {
  validateSessionId(sessionId);
  const record = await ctx.store.get(ctx.name, sessionId);
  if (!record) throw new SessionNotFoundError(ctx.name, sessionId);
  if (await paneOf(ctx, record).alive()) {
    throw new SessionExistsError(ctx.name, sessionId, {
      message:
        `${ctx.profile.label} in session "${sessionId}" is still running: nothing to revive`,
    });
  }
  if (!record.agentSessionId) {
    throw new InputError(
      `session "${sessionId}" has no known ${ctx.profile.label} conversation to resume (its first prompt never landed); create it again`,
    );
  }
  return await createSession(ctx, {
    sessionId,
    cwd: record.cwd,
    initialPrompt: "",
    flagRoot: record.flagRoot,
    model: record.model ?? undefined,
    useProxy: record.useProxy,
    displayName: record.displayName ?? undefined,
    agentSessionId: record.agentSessionId,
    permissionMode: record.permissionMode,
    allowBypass: record.permissionMode === "bypass",
    agentArgs: record.agentArgs,
    allow: record.rules?.allow ?? [],
    deny: record.rules?.deny ?? [],
    onProgress: options.onProgress,
    onWarning: options.onWarning,
  }, { revive: { worktree: record.worktree } });
}

/**
 * Windows in this backend's hub that the state file does not know (left by
 * a `create` killed before it recorded its window).
 *
 * @param ctx the backend
 * @param options the live records (read from the state when omitted)
 */
export async function orphanPanes(
  ctx: BackendContext,
  options: { records?: SessionRecord[] } = {},
): Promise<PaneInfo[]> {
  const records = options.records ??
    (await ctx.store.list()).filter((r) => r.backend === ctx.name);
  const tmux = tmuxOf(ctx);
  const hubId = await tmux.findSession(ctx.profile.hub(ctx.config));
  if (!hubId) return [];
  const known = new Set(records.map((r) => r.windowId));
  return (await tmux.listPanes({ sessionId: hubId })).filter((pane) =>
    !known.has(pane.windowId) && pane.windowName !== HUB_WINDOW
  );
}
