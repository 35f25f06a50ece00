// The objects a change report reads (directory manifests, the two versions of a changed text file): from the local
// cache, else fetched from the default remote, which is opened on first need. What cannot be had is data (a reason
// per object and a problem line for the report), never a failure of the report.
import { promises as fs } from "node:fs";
import { AppError } from "../../errors.js";
import { objectKey } from "../../odb/local-odb.js";
import type { HashInfo } from "../../odb/types.js";
import { runPool } from "../../util/pool.js";
import { downloadObjects } from "../data/transfer.js";
import { openRemoteFor, type RemoteSession } from "../remote-session.js";
import type { Repo } from "../repo.js";

export class ObjectSource {
  private session: Promise<RemoteSession | null> | undefined;
  /** Why the remote could not be used (set once, when it could not). */
  private remoteProblem: string | undefined;
  readonly problems: string[] = [];
  /** Objects downloaded into the cache. */
  fetched = 0;

  constructor(private readonly repo: Repo) {}

  private remote(): Promise<RemoteSession | null> {
    return (this.session ??= openRemoteFor(this.repo, undefined, undefined).catch((err: unknown) => {
      if (!(err instanceof AppError)) throw err;
      this.noRemote(
        err.code === "REMOTE_NOT_FOUND"
          ? "no default remote is set"
          : `the default remote cannot be used: ${err.message}`,
      );
      return null;
    }));
  }

  private noRemote(why: string): void {
    if (this.remoteProblem !== undefined) return;
    this.remoteProblem = why;
    this.problems.push(`Objects missing from the cache were not fetched: ${why}.`);
  }

  /** Why objects missing from the cache stay missing ("not in the cache; no default remote is set"). */
  missingReason(): string {
    return this.remoteProblem === undefined
      ? "not in the cache or on the remote"
      : `not in the cache; ${this.remoteProblem}`;
  }

  has(h: HashInfo): boolean {
    return this.repo.odb.has(h);
  }

  /** Sizes in bytes, from the cache or the remote; absent from the map: unknown (missing everywhere). */
  async sizes(objs: readonly HashInfo[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const remote: HashInfo[] = [];
    for (const h of objs) {
      if (!this.repo.odb.has(h)) remote.push(h);
      else out.set(h.value, (await fs.stat(this.repo.odb.path(h))).size);
    }
    if (remote.length === 0) return out;
    const s = await this.remote();
    if (s === null || s.store.size === undefined) return out;
    const size = s.store.size.bind(s.store);
    try {
      await runPool(remote.length, Math.min(8, s.jobs), async (i) => {
        const n = await size(objectKey(remote[i]!));
        if (n !== undefined) out.set(remote[i]!.value, n);
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.noRemote(`the remote failed: ${err.message}`);
    }
    return out;
  }

  /** Fetches the objects of `objs` missing from the cache; returns those still missing. */
  async ensure(objs: readonly HashInfo[], label = "fetch"): Promise<Set<string>> {
    const unique = new Map(objs.filter((h) => !this.repo.odb.has(h)).map((h) => [h.value, h]));
    if (unique.size === 0) return new Set();
    const s = await this.remote();
    if (s !== null) {
      try {
        const res = await downloadObjects(this.repo, s.store, [...unique.values()], s.jobs, label);
        this.fetched += res.done.length;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        this.noRemote(`the remote failed: ${err.message}`);
      }
    }
    return new Set([...unique.values()].filter((h) => !this.repo.odb.has(h)).map((h) => h.value));
  }

  async close(): Promise<void> {
    const s = await this.session;
    await s?.store.close();
  }
}
