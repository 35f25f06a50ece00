// push / pull when things go wrong: transient S3 faults (through the fault proxy), permanent failures of
// some keys, and `kill -9` of a spawned `node bin/dvx.js push|pull` mid-transfer.
// Needs a current dist/ (npm run build) for the kill tests.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultKind, type FaultProxy } from "../helpers/fault-proxy.js";
import { bucketKeys, makeS3Repo, must, objectMd5, uniquePrefix } from "../helpers/s3-repo.js";
import { makeBucket, s3TestConfig, skipS3, type TestBucket } from "../helpers/s3-server.js";
import { badObjects, keyOf, md5File, md5Hex, objectKeys, oidOfKey, strayFiles } from "../helpers/store-walk.js";
import { makeRepo, tmpDir, type TmpRepo } from "../helpers/tmp-repo.js";
import { ensureBuilt } from "../helpers/build.js";
import { jsonError, rmrf, oidIn } from "../helpers/cli-assert.js";

const MiB = 1024 * 1024;
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/dvx.js");
const skip = await skipS3("transfer-faults");

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.skipIf(skip)("S3 transfers through a fault-injecting proxy", { timeout: 120_000 }, () => {
  const cfg = s3TestConfig();
  let bucket: TestBucket;
  let proxy: FaultProxy;

  beforeAll(async () => {
    bucket = await makeBucket("dvx-xfer-faults");
    proxy = await startFaultProxy(cfg.endpoint);
  });
  afterEach(() => proxy.setRules([]));
  afterAll(async () => {
    await proxy?.close();
    await bucket?.remove();
  });

  async function faultRepo(prefix: string, files: Record<string, string | Buffer>): Promise<TmpRepo> {
    const r = await makeS3Repo({ bucket: bucket.name, prefix, endpoint: proxy.url, files });
    await must(r, "remote", "modify", "s3r", "multipart_threshold", "5MB");
    await must(r, "remote", "modify", "s3r", "multipart_chunksize", "5MB");
    return r;
  }

  /** Every object under the prefix hashes to its name. */
  async function expectBucketVerifies(prefix: string): Promise<string[]> {
    const keys = await bucketKeys(bucket.client, bucket.name, prefix);
    for (const k of keys)
      expect(await objectMd5(bucket.client, bucket.name, `${prefix}/${k}`), k).toBe(oidOfKey(k).replace(/\.dir$/, ""));
    return keys;
  }

  it("transient 503 / 500 / resets / truncated bodies: push and pull still complete and verify", async () => {
    const prefix = uniquePrefix("transient");
    const files: Record<string, string | Buffer> = {
      "streamed.bin": randomBytes(3 * MiB + 1),
      "multi.bin": randomBytes(11 * MiB + 3),
    };
    for (let i = 0; i < 40; i++) files[`d/f${i}`] = `small file ${i}\n`;
    const r = await faultRepo(prefix, files);
    await must(r, "add", "streamed.bin", "multi.bin", "d");
    const total = 2 + 40 + 1;

    // each object key fails once, with a fault picked by its first hex digit; listings and HEADs fail too
    const keyFaults = (method: string, kinds: FaultKind[]) =>
      kinds.map((fault, i) => ({
        fault,
        method,
        perUrl: 1,
        match: new RegExp(`/files/md5/[${"0123456789abcdef".slice(i * 4, i * 4 + 4)}]`),
      }));
    proxy.setRules([
      { fault: "slowdown", method: "GET", match: /list-type=2/, first: 3 },
      { fault: "error500", method: "HEAD", first: 2 },
      { fault: "slowdown", method: "POST", first: 1 }, // CreateMultipartUpload / CompleteMultipartUpload
      ...keyFaults("PUT", ["slowdown", "error500", "reset", "truncate"]),
    ]);
    const push = await r.run("push", "--json");
    expect(push.code, push.stderr).toBe(0);
    expect(push.json()).toMatchObject({ pushed: total, failed: [] });
    for (const k of ["slowdown", "error500", "reset", "truncate"] as const)
      expect(proxy.injected(k), k).toBeGreaterThan(0);
    const keys = await expectBucketVerifies(prefix);
    expect(keys).toHaveLength(total);
    expect(
      (await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: prefix }))).Uploads ??
        [],
    ).toEqual([]);

    rmrf(join(r.dir, ".dvc/cache"));
    for (const p of ["streamed.bin", "multi.bin", "d"]) rmrf(join(r.dir, p));
    proxy.setRules(keyFaults("GET", ["truncate", "reset", "slowdown", "error500"]));
    const pull = await r.run("pull", "--json");
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json()).toMatchObject({ fetch: { fetched: total, failed: [] } });
    for (const k of ["slowdown", "error500", "reset", "truncate"] as const)
      expect(proxy.injected(k), k).toBeGreaterThan(0);
    for (const [p, content] of Object.entries(files))
      expect(md5Hex(readFileSync(join(r.dir, p))), p).toBe(md5Hex(content));
    expect(await badObjects(join(r.dir, ".dvc/cache"))).toEqual([]);
  });

  it("permanent failures: TRANSFER_FAILED names exactly the failed oids, no partial objects, no .dir; a re-run sends only the rest", async () => {
    const prefix = uniquePrefix("permanent");
    const files: Record<string, string | Buffer> = {
      "ok.txt": "fine\n",
      "fail.txt": "this one fails\n",
      "huge-fail.bin": randomBytes(6 * MiB + 1),
    };
    for (let i = 0; i < 10; i++) files[`d/f${i}`] = `dir file ${i}\n`;
    files["d/bad"] = "a dir file that fails\n";
    const r = await faultRepo(prefix, files);
    await must(r, "add", "ok.txt", "fail.txt", "huge-fail.bin", "d");
    const dirOid = oidIn(r, "d.dvc");
    const failing = [
      md5Hex("this one fails\n"),
      md5Hex(files["huge-fail.bin"] as Buffer),
      md5Hex("a dir file that fails\n"),
    ];
    proxy.setRules(
      failing.map((oid) => ({ fault: "error500" as const, method: "PUT", match: new RegExp(escape(keyOf(oid))) })),
    );

    const res = await r.run("push", "--json");
    expect(res.code, res.stderr).toBe(1);
    const err = jsonError(res);
    expect(err.code).toBe("TRANSFER_FAILED");
    const failed = err.details.failed as string[];
    // the three files, and the directory that was held back because one of its files failed
    expect([...failed].sort()).toEqual([...failing, dirOid].sort());
    expect(err.details.failedCount).toBe(4);

    const keys = await expectBucketVerifies(prefix);
    expect(keys.map(oidOfKey).sort()).toEqual(
      [md5Hex("fine\n"), ...Array.from({ length: 10 }, (_, i) => md5Hex(`dir file ${i}\n`))].sort(),
    );
    expect(keys).not.toContain(keyOf(dirOid));
    expect(
      (await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: prefix }))).Uploads ??
        [],
    ).toEqual([]);

    const st = await r.run("status", "-c", "--json");
    expect(st.code, st.stderr).toBe(0);
    expect(st.json()).toMatchObject({ "fail.txt": "new", "huge-fail.bin": "new", d: "new" });

    // the fault is gone: only what is missing goes up
    proxy.setRules([]);
    const again = await r.run("push", "--json");
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ pushed: 4, upToDate: 11, failed: [] });
    expect(proxy.log.filter((e) => e.method === "PUT" && !/partNumber=/.test(e.path))).toHaveLength(3); // 2 small files + .dir
    await expectBucketVerifies(prefix);
    expect((await r.run("status", "-c", "--json")).json()).toEqual({});

    // a download that keeps failing: pull names it, keeps nothing partial, and checks out the rest
    const cache = join(r.dir, ".dvc/cache");
    rmrf(cache);
    for (const p of ["ok.txt", "fail.txt", "huge-fail.bin", "d"]) rmrf(join(r.dir, p));
    const lost = md5Hex("this one fails\n");
    proxy.setRules([{ fault: "truncate", method: "GET", match: new RegExp(escape(keyOf(lost))) }]);
    const pull = await r.run("pull", "--json");
    expect(pull.code, pull.stderr).toBe(1);
    const perr = jsonError(pull);
    expect(perr.code).toBe("TRANSFER_FAILED");
    expect(perr.details).toMatchObject({ failed: [lost], failedCount: 1 });
    expect(existsSync(join(cache, keyOf(lost)))).toBe(false);
    expect(existsSync(join(r.dir, "fail.txt"))).toBe(false);
    expect(r.read("ok.txt")).toBe("fine\n");
    expect(r.read("d/bad")).toBe("a dir file that fails\n");
    expect(await badObjects(cache)).toEqual([]);
    expect(strayFiles(cache).filter((k) => k.endsWith(".tmp"))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// kill -9 mid-transfer (local directory remote, the real CLI in a child process)

function countObjects(root: string): number {
  const base = join(root, "files/md5");
  let n = 0;
  let dirs: string[];
  try {
    dirs = readdirSync(base);
  } catch {
    return 0; // ENOENT: nothing written yet
  }
  for (const d of dirs) {
    if (d.length !== 2) continue;
    try {
      n += readdirSync(join(base, d)).filter((f) => !f.endsWith(".tmp")).length;
    } catch {
      // ENOENT/ENOTDIR: a directory being created right now
    }
  }
  return n;
}

/** Spawns `node bin/dvx.js <argv>` in `cwd` and SIGKILLs it once `ready()` holds; resolves when it is dead. */
async function killWhen(
  cwd: string,
  argv: string[],
  ready: () => boolean,
): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...argv], {
    cwd,
    env: {
      HOME: process.env.HOME,
      PATH: process.env.PATH,
      NO_COLOR: "1",
      DVC_GLOBAL_CONFIG_DIR: "/nonexistent-dvx-test",
      DVC_SYSTEM_CONFIG_DIR: "/nonexistent-dvx-test",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on("exit", (code, signal) => res({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 60_000;
  while (!done && Date.now() < deadline) {
    if (ready()) {
      child.kill("SIGKILL");
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  if (!done && Date.now() >= deadline) child.kill("SIGKILL");
  const { code, signal } = await exited;
  return { killed: signal === "SIGKILL", code, stderr };
}

/** The kill tests spawn bin/dvx.js, which runs the build: make sure it is current. */
const assertDistCurrent = ensureBuilt;

const TMP_NAME = /\.[0-9a-f]{16}\.tmp$/;

describe("kill -9 in the middle of a transfer", { timeout: 120_000 }, () => {
  it("push killed mid-way: the next push completes, every remote object verifies, no .dir without its files", async () => {
    assertDistCurrent();
    const N = 3000;
    const files: Record<string, string | Buffer> = { "big.bin": randomBytes(20 * MiB) };
    for (let i = 0; i < N; i++) files[`d/s${i % 10}/f${i}`] = `small ${i} ${"x".repeat(i % 50)}\n`;
    const r = await makeRepo({ files });
    const store = tmpDir("dvx-killstore-");
    expect((await r.run("add", "big.bin", "d")).code).toBe(0);
    expect((await r.run("remote", "add", "-d", "r", store)).code).toBe(0);
    const dirOid = oidIn(r, "d.dvc");
    const total = N + 2;

    const kill = await killWhen(r.dir, ["push"], () => countObjects(store) >= 200);
    expect(kill.killed, `push was not killed (exit ${kill.code}): ${kill.stderr}`).toBe(true);
    const after = objectKeys(store);
    expect(after.length, "push finished before the kill: the test needs more data").toBeLessThan(total);
    // what is under a final key is complete, and a .dir never vouches for files that are not there
    expect(await badObjects(store)).toEqual([]);
    if (after.includes(keyOf(dirOid))) expect(after.length).toBe(total);
    for (const s of strayFiles(store)) expect(s).toMatch(TMP_NAME);

    const res = await r.run("push", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject({ failed: [], missingLocally: [] });
    expect(res.json<{ pushed: number }>().pushed).toBe(total - after.length);
    expect(objectKeys(store)).toHaveLength(total);
    expect(await badObjects(store)).toEqual([]);
    // leftovers of the killed run, never under a final key
    for (const s of strayFiles(store)) expect(s).toMatch(TMP_NAME);
    const st = await r.run("status", "-c", "--json");
    expect(st.code, st.stderr).toBe(0);
    expect(st.json()).toEqual({});

    // -------- pull killed mid-way into an empty cache
    const cache = join(r.dir, ".dvc/cache");
    rmrf(cache);
    rmrf(join(r.dir, "big.bin"));
    rmrf(join(r.dir, "d"));
    const killPull = await killWhen(r.dir, ["pull"], () => countObjects(cache) >= 200);
    expect(killPull.killed, `pull was not killed (exit ${killPull.code}): ${killPull.stderr}`).toBe(true);
    const partial = objectKeys(cache);
    expect(partial.length, "pull finished before the kill: the test needs more data").toBeLessThan(total);
    expect(await badObjects(cache)).toEqual([]);

    const pull = await r.run("pull", "--json");
    expect(pull.code, pull.stderr).toBe(0);
    expect(objectKeys(cache)).toHaveLength(total);
    expect(await badObjects(cache)).toEqual([]);
    expect(await md5File(join(r.dir, "big.bin"))).toBe(md5Hex(files["big.bin"] as Buffer));
    for (let i = 0; i < N; i += 1)
      expect(readFileSync(join(r.dir, `d/s${i % 10}/f${i}`), "utf8")).toBe(files[`d/s${i % 10}/f${i}`]);
    expect(readdirSync(join(r.dir, "d")).length).toBe(10);
    expect(statSync(join(r.dir, "big.bin")).size).toBe(20 * MiB);
    expect((await r.run("status", "--json")).code).toBe(0);
  });
});
