/**
 * One service, reconciled: read what is there, decide, act; when someone else acted in between
 * (Raced), read again. Decisions, in order:
 *   replacement under the temporary name -> settle it (recreate.ts), read again
 *   missing            -> created (a name conflict means another run created it: read again)
 *   not ours           -> failed, naming the owner
 *   stale / blank secret / --force-recreate -> recreated (create-first swap), or failed / misconfigured
 *                         when the secrets to create it are missing (the old one keeps running)
 *   stopped            -> started;  dead -> recreated
 *   crash-looping      -> failed, with exit code, restarts and last log lines (crash-loop.ts)
 *   running, not serving (and healing) -> restarted (unhealthy: why)
 *   otherwise          -> unchanged
 */
import { NameTakenError, NotFoundError } from "../errors.js";
import type { ContainerEngine, ContainerState } from "../engine/container-engine.js";
import type { Clock } from "../health/wait-until.js";
import type { NetworkPlan, ServicePlan } from "../plan/types.js";
import { containerSpec } from "./container-spec.js";
import { resolveEnv, type Lookup } from "./credentials.js";
import { crashLoop } from "./crash-loop.js";
import { crashReason } from "./explain.js";
import { restart, unhealthyReason, type HealDeps } from "./heal.js";
import { imageMissing, type ImageResolver } from "./images.js";
import { checkOwner } from "./ownership.js";
import { outcome, type ServiceOutcome } from "./outcome.js";
import { isAmbiguousNetwork, MAX_ROUNDS, Raced } from "./race.js";
import { CREATED_BY, createdByThisProcess, recreate, replacementName, settleReplacement } from "./recreate.js";
import { blankSecrets, staleReasons } from "./staleness.js";

export interface ConvergeContext {
  engine: ContainerEngine;
  project: string;
  lookup: Lookup;
  network: (net: NetworkPlan) => Promise<string>;
  image: ImageResolver;
  forceRecreate: boolean;
  heal: boolean;
  /** A caller's grace period for every stop; default each service's own (the plan's stopGraceMs). */
  stopTimeoutMs?: number;
  clock: Clock;
  healDeps: HealDeps;
}

/** The outcome, plus what --wait needs to watch the container. */
export interface Converged {
  outcome: ServiceOutcome;
  containerId?: string;
  restartBaseline: number;
  /** The service's secret values, to mask them in log lines. Never printed. */
  secrets: string[];
}

export interface Seen {
  current?: ContainerState | undefined;
  next?: ContainerState | undefined;
}

type Step = Omit<Converged, "secrets">;

/** A container restarted before and up less than this (or its start period) is watched for a crash loop. */
const RECENT_MS = 10_000;

const missingReason = (vars: string[], lookup: Lookup) =>
  `missing variable${vars.length > 1 ? "s" : ""} ${vars.join(", ")} (set in ${lookup.where ?? "the environment or the credentials file"})`;

export async function convergeService(s: ServicePlan, ctx: ConvergeContext, seen: Seen): Promise<Converged> {
  const { env, missing } = resolveEnv(s.env, ctx.lookup);
  const secrets = s.env.flatMap((e) => ("fromVar" in e && env[e.name] ? [env[e.name]!] : []));
  let view = seen;
  const memo: Memo = {};
  for (let round = 1; ; round++) {
    try {
      return { ...(await once(s, ctx, view, { env, missing, secrets }, memo)), secrets };
    } catch (e) {
      if (!(e instanceof Raced)) throw e;
      if (round >= MAX_ROUNDS) throw new Error(`${s.containerName} kept changing while being reconciled (${e.message}); run start again`);
      await ctx.clock.sleep(100 * round);
      const [current, next] = await Promise.all([ctx.engine.findByName(s.containerName), ctx.engine.findByName(replacementName(s.containerName))]);
      view = { current, next };
    }
  }
}

/**
 * A container that vanished under us is a race, not a failure; so is a network name that is
 * briefly ambiguous (the engine resolves a container's network by name at start, and a racing run's
 * duplicate exists until that run removes it, a moment later: networks.ts).
 */
async function orRaced<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof NotFoundError) throw new Raced(`${what}: the container vanished`);
    if (isAmbiguousNetwork(e)) throw new Raced(`${what}: a duplicate network is being removed`);
    throw e;
  }
}

/** What this run did in an earlier round: a container it created and could not start yet is still "created". */
interface Memo {
  created?: string;
}

async function once(
  s: ServicePlan,
  ctx: ConvergeContext,
  view: Seen,
  creds: { env: Record<string, string>; missing: string[]; secrets: string[] },
  memo: Memo,
): Promise<Step> {
  const { engine } = ctx;
  const { env, missing } = creds;
  if (view.next) {
    checkOwner(view.next, ctx.project);
    await settleReplacement(engine, view.next, view.current, s.containerName, {
      clock: ctx.clock,
      timeoutMs: (ctx.stopTimeoutMs ?? s.hardening.stopGraceMs) + 20_000,
    });
    throw new Raced(`settled ${view.next.name}`);
  }
  const spec = async () => {
    const [imageId, networkId] = await Promise.all([ctx.image(s), ctx.network(s.network)]);
    if (imageId === undefined) throw imageMissing(s);
    const made = containerSpec(s, env, networkId);
    return { ...made, labels: { ...made.labels, [CREATED_BY]: createdByThisProcess() } };
  };
  if (!view.current) {
    if (missing.length) return { outcome: outcome(s, "failed", { reason: missingReason(missing, ctx.lookup) }), restartBaseline: 0 };
    let id: string;
    try {
      id = await engine.create(await spec());
    } catch (e) {
      if (e instanceof NameTakenError) throw new Raced(`${s.containerName} was created meanwhile`);
      throw e;
    }
    memo.created = id;
    await orRaced("start", () => engine.start(id));
    return { outcome: outcome(s, "created"), containerId: id, restartBaseline: 0 };
  }

  checkOwner(view.current, ctx.project);
  const d = await engine.inspect(view.current.id);
  if (!d || d.state === "removing") throw new Raced(`${s.containerName} is being removed`);
  const [imageId, networkId] = await Promise.all([ctx.image(s), ctx.network(s.network)]);
  const stale = staleReasons(s, { details: d, imageId, networkId });
  if (d.state === "dead") stale.push("the container is dead");
  const blank = blankSecrets(s, d);
  if (stale.length || blank.length || ctx.forceRecreate) {
    if (missing.length) {
      if (blank.length) {
        const reason = `${blank.join(", ")} ${blank.length > 1 ? "are" : "is"} blank in the container: ${missingReason(missing, ctx.lookup)}; start recreates it once set`;
        return { outcome: outcome(s, "misconfigured", { reason }), containerId: d.id, restartBaseline: d.restartCount };
      }
      const reason = `stale (${stale.join("; ") || "forced"}) but cannot be recreated: ${missingReason(missing, ctx.lookup)}; the current container was left as it is`;
      return { outcome: outcome(s, "failed", { reason }), restartBaseline: d.restartCount };
    }
    const detail = blank.length ? `misconfigured: ${blank.join(", ")} was blank` : stale.length ? `stale: ${stale.join("; ")}` : "forced";
    let id: string;
    try {
      id = await recreate(engine, d, await spec(), ctx.stopTimeoutMs ?? s.hardening.stopGraceMs);
    } catch (e) {
      if (e instanceof Raced) throw e;
      throw new Error(`recreating (${detail}): ${e instanceof Error ? e.message : String(e)}`);
    }
    return { outcome: outcome(s, "recreated", { detail }), containerId: id, restartBaseline: 0 };
  }

  if (d.state === "created" || d.state === "exited") {
    await orRaced("start", () => engine.start(d.id));
    const after = await engine.inspect(d.id);
    return { outcome: outcome(s, memo.created === d.id ? "created" : "started"), containerId: d.id, restartBaseline: after?.restartCount ?? 0 };
  }
  const upMs = d.startedAt ? ctx.healDeps.now() - Date.parse(d.startedAt) : Number.POSITIVE_INFINITY;
  const looping = await crashLoop(engine, d, ctx.clock, upMs, Math.max(s.healthcheck.startPeriodMs, RECENT_MS));
  if (looping) {
    return { outcome: outcome(s, "failed", { reason: await crashReason(engine, looping, creds.secrets) }), restartBaseline: looping.restartCount };
  }
  if (ctx.heal) {
    const why = await unhealthyReason(s, d, ctx.healDeps);
    if (why) {
      await orRaced("restart", () => restart(engine, d.id));
      const after = await engine.inspect(d.id);
      return { outcome: outcome(s, "restarted", { detail: `unhealthy: ${why}` }), containerId: d.id, restartBaseline: after?.restartCount ?? 0 };
    }
  }
  return { outcome: outcome(s, "unchanged"), containerId: d.id, restartBaseline: d.restartCount };
}
