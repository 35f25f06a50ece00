// push / status -c / pull / gc -c against the S3 test gateway (Ceph RGW on loopback), one bucket for the
// file and one prefix per test. The remote is configured through the CLI like a user would.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DeleteObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy } from "../helpers/fault-proxy.js";
import type { CliRun } from "../helpers/run-cli.js";
import { bucketKeys, closedPort, getObject, makeS3Repo, must, objectMd5, uniquePrefix } from "../helpers/s3-repo.js";
import { makeBucket, s3TestConfig, skipS3, type TestBucket } from "../helpers/s3-server.js";
import { keyOf, md5File, md5Hex, OBJECT_KEY, oidOfKey } from "../helpers/store-walk.js";
import type { TmpRepo } from "../helpers/tmp-repo.js";
import { jsonError, rmrf, oidIn } from "../helpers/cli-assert.js";
import { ensureBuilt } from "../helpers/build.js";

const MiB = 1024 * 1024;
const BIN = resolve(import.meta.dirname, "../../bin/dvx.js");
const skip = await skipS3("push-pull-s3");

describe.skipIf(skip)("push / pull with an S3 remote", { timeout: 120_000 }, () => {
  const cfg = s3TestConfig();
  let bucket: TestBucket;

  beforeAll(async () => {
    bucket = await makeBucket("dvx-pushpull");
  });
  afterAll(async () => {
    await bucket?.remove();
  });

  it("round trip: a >= 3 MiB file and a directory of > 1000 files, status -c, listing decisions, pull", async () => {
    const prefix = uniquePrefix("rt");
    const big = randomBytes(3 * MiB + 17);
    const files: Record<string, string | Buffer> = { "big.bin": big };
    const N = 1010;
    for (let i = 0; i < N; i++) files[`many/f${String(i).padStart(4, "0")}.txt`] = `file ${i}\n`;
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files });
    await must(r, "add", "big.bin", "many");
    const dirOid = oidIn(r, "many.dvc");

    // before any push everything is only local
    const st0 = await r.run("status", "-c", "--json");
    expect(st0.code, st0.stderr).toBe(0);
    const st0j = st0.json<Record<string, string>>();
    expect(st0j).toMatchObject({ "big.bin": "new", many: "new", "many/f0000.txt": "new" });
    expect(Object.keys(st0j)).toHaveLength(N + 2);

    const push = await r.run("push", "-j", "32", "--json");
    expect(push.code, push.stderr).toBe(0);
    expect(push.json()).toMatchObject({ remote: "s3r", pushed: N + 2, upToDate: 0, failed: [], missingLocally: [] });
    const keys = await bucketKeys(bucket.client, bucket.name, prefix);
    expect(keys).toHaveLength(N + 2);
    expect(keys.every((k) => OBJECT_KEY.test(k) && k.startsWith("files/md5/"))).toBe(true);
    expect(keys).toContain(keyOf(md5Hex(big)));
    expect(keys).toContain(keyOf(dirOid));
    expect(await objectMd5(bucket.client, bucket.name, `${prefix}/${keyOf(md5Hex(big))}`)).toBe(md5Hex(big));
    // the manifest on S3 is the cache's manifest
    expect(await getObject(bucket.client, bucket.name, `${prefix}/${keyOf(dirOid)}`)).toEqual(
      readFileSync(join(r.dir, ".dvc/cache", keyOf(dirOid))),
    );

    const st1 = await r.run("status", "-c", "--json");
    expect(st1.code, st1.stderr).toBe(0);
    expect(st1.json()).toEqual({});
    expect((await r.run("push", "--json")).json()).toMatchObject({ pushed: 0, upToDate: N + 2 });

    // Without its .dir the remote directory must be checked file by file: > 1000 objects → one listing,
    // not a HEAD per object. Watch the requests through a pass-through proxy.
    await bucket.client.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: `${prefix}/${keyOf(dirOid)}` }));
    const proxy = await startFaultProxy(cfg.endpoint, []);
    try {
      await must(r, "remote", "modify", "s3r", "endpointurl", proxy.url);
      const st2 = await r.run("status", "-c", "--json");
      expect(st2.code, st2.stderr).toBe(0);
      expect(st2.json()).toEqual({ many: "new" });
      const lists = proxy.log.filter((e) => e.method === "GET" && /[?&]list-type=2/.test(e.path)).length;
      const heads = proxy.log.filter((e) => e.method === "HEAD").length;
      expect(lists).toBeGreaterThan(0);
      expect(heads).toBeLessThan(50);
      proxy.setRules([]);
      const push2 = await r.run("push", "--json");
      expect(push2.code, push2.stderr).toBe(0);
      expect(push2.json()).toMatchObject({ pushed: 1, upToDate: N + 1, failed: [] });
      expect(proxy.log.filter((e) => e.method === "PUT")).toHaveLength(1);
    } finally {
      await proxy.close();
    }
    await must(r, "remote", "modify", "s3r", "endpointurl", cfg.endpoint);

    // pull into an empty cache and workspace
    rmrf(join(r.dir, ".dvc/cache"));
    rmrf(join(r.dir, "big.bin"));
    rmrf(join(r.dir, "many"));
    const pull = await r.run("pull", "-j", "32", "--json");
    expect(pull.code, pull.stderr).toBe(0);
    // big.bin (>= 1 MiB, cache.type reflink,copy on a filesystem without reflinks) was written during its download
    expect(pull.json()).toMatchObject({
      fetch: { remote: "s3r", fetched: N + 2, failed: [] },
      checkout: { prepared: 1 },
    });
    expect(await md5File(join(r.dir, "big.bin"))).toBe(md5Hex(big));
    expect(statSync(join(r.dir, "big.bin")).mode & 0o777).toBe(0o666 & ~process.umask());
    expect(readdirSync(join(r.dir, ".dvc/tmp")).filter((f) => f.startsWith("copy-"))).toEqual([]);
    for (let i = 0; i < N; i++) expect(r.read(`many/f${String(i).padStart(4, "0")}.txt`)).toBe(`file ${i}\n`);
    const st3 = await r.run("status", "-c", "--json");
    expect(st3.json()).toEqual({});
    // the real CLI process: only JSON on stdout, and no runtime warning on stderr (the AWS SDK warns about the
    // Node versions of its future releases unless told not to)
    await ensureBuilt();
    const real = spawnSync(process.execPath, [BIN, "status", "-c", "--json"], {
      cwd: r.dir,
      encoding: "utf8",
      env: { HOME: process.env.HOME, PATH: process.env.PATH },
    });
    expect(real.status, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toEqual({});
    expect(real.stderr).toBe("");
  });

  it("a multipart upload (12 MiB, 5 MB parts) comes back byte-identical", async () => {
    const prefix = uniquePrefix("mp");
    const data = randomBytes(12 * MiB + 5);
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files: { "huge.bin": data } });
    await must(r, "remote", "modify", "s3r", "multipart_threshold", "5MB");
    await must(r, "remote", "modify", "s3r", "multipart_chunksize", "5MB");
    // dvx-only options live in .dvc/dvx.config, never in DVC's config
    expect(r.read(".dvc/config")).not.toMatch(/multipart/);
    expect(r.read(".dvc/dvx.config")).toMatch(/multipart_threshold = 5MB/);
    await must(r, "add", "huge.bin");
    const oid = md5Hex(data);
    const push = await r.run("push", "--json");
    expect(push.code, push.stderr).toBe(0);
    expect(push.json()).toMatchObject({ pushed: 1, bytes: data.length });
    const head = await bucket.client.send(
      new HeadObjectCommand({ Bucket: bucket.name, Key: `${prefix}/${keyOf(oid)}` }),
    );
    expect(head.ContentLength).toBe(data.length);
    expect(head.ETag).toMatch(/-3"?$/); // 5 + 5 + 2 MiB parts
    rmrf(join(r.dir, ".dvc/cache"));
    rmrf(join(r.dir, "huge.bin"));
    const pull = await r.run("pull", "--json");
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json()).toMatchObject({ checkout: { prepared: 1 } }); // ranged download, copy written in order
    expect(await md5File(join(r.dir, "huge.bin"))).toBe(oid);
  });

  it("the files of a directory of large files are written during their download too", async () => {
    const prefix = uniquePrefix("dirbig");
    const files: Record<string, Buffer> = {};
    for (const n of ["a", "b", "c"]) files[`weights/${n}.bin`] = randomBytes(1.5 * MiB + n.charCodeAt(0));
    files["weights/tiny.json"] = Buffer.from("{}"); // average size stays >= 1 MiB
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files });
    await must(r, "add", "weights");
    await must(r, "push");
    rmrf(join(r.dir, ".dvc/cache"));
    rmrf(join(r.dir, "weights"));
    const pull = await r.run("pull", "--json");
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json()).toMatchObject({ fetch: { fetched: 5 }, checkout: { changed: ["weights"], prepared: 4 } });
    for (const [p, content] of Object.entries(files))
      expect(md5Hex(readFileSync(join(r.dir, p))), p).toBe(md5Hex(content));
    expect((await r.run("status", "--json")).json()).toEqual({});
    expect(readdirSync(join(r.dir, ".dvc/tmp")).filter((f) => f.startsWith("copy-"))).toEqual([]);
  });

  it("pull refusing to overwrite unsaved changes leaves the workspace file as it was and no prepared copy behind", async () => {
    const prefix = uniquePrefix("refuse");
    const v1 = randomBytes(2 * MiB + 1);
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files: { "model.bin": v1 } });
    await must(r, "add", "model.bin");
    await must(r, "push");
    rmrf(join(r.dir, ".dvc/cache"));
    r.write({ "model.bin": "my unsaved edit\n" });
    const pull = await r.run("pull", "--json");
    expect(pull.code).not.toBe(0);
    expect(r.read("model.bin")).toBe("my unsaved edit\n");
    expect(readdirSync(join(r.dir, ".dvc/tmp")).filter((f) => f.startsWith("copy-"))).toEqual([]);
    // the object itself was fetched and verified; -f then places it (a plain copy from the cache)
    const forced = await r.run("pull", "-f", "--json");
    expect(forced.code, forced.stderr).toBe(0);
    expect(await md5File(join(r.dir, "model.bin"))).toBe(md5Hex(v1));
    expect(forced.json()).not.toHaveProperty("checkout.prepared");
  });

  it("with cache.type hardlink nothing is prepared during the download", async () => {
    const prefix = uniquePrefix("hl");
    const data = randomBytes(2 * MiB + 3);
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files: { "w.bin": data } });
    await must(r, "add", "w.bin");
    await must(r, "push");
    await must(r, "config", "cache.type", "hardlink");
    rmrf(join(r.dir, ".dvc/cache"));
    rmrf(join(r.dir, "w.bin"));
    r.write({ ".dvc/tmp/copy-0123456789abcdef": "left behind by a killed pull" });
    const pull = await r.run("pull", "--json");
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json()).not.toHaveProperty("checkout.prepared");
    expect(pull.json()).toMatchObject({ checkout: { linkType: "hardlink" } });
    expect(statSync(join(r.dir, "w.bin")).nlink).toBe(2);
    expect(readdirSync(join(r.dir, ".dvc/tmp")).filter((f) => f.startsWith("copy-"))).toEqual([]);
  });

  it("gc -w -c removes the unused objects from the bucket only", async () => {
    const prefix = uniquePrefix("gc");
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files: { "a.txt": "one\n", "d/x": "x\n" } });
    await must(r, "add", "a.txt", "d");
    await must(r, "push");
    rmrf(join(r.dir, "a.txt"));
    r.write({ "a.txt": "two\n" });
    await must(r, "add", "a.txt");
    await must(r, "push");
    expect(await bucketKeys(bucket.client, bucket.name, prefix)).toContain(keyOf(md5Hex("one\n")));
    const gc = await r.run("gc", "-w", "-c", "-f", "--json");
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.json()).toMatchObject({ cloud: { remote: "s3r", removed: [keyOf(md5Hex("one\n"))], aborted: false } });
    const keys = await bucketKeys(bucket.client, bucket.name, prefix);
    expect(keys).not.toContain(keyOf(md5Hex("one\n")));
    expect(keys.map(oidOfKey)).toEqual(expect.arrayContaining([md5Hex("two\n"), md5Hex("x\n"), oidIn(r, "d.dvc")]));
    expect(keys).toHaveLength(3);
  });

  // Remote-wide failures (credentials, bucket, endpoint) are exit 7 with their own code for every command
  // that talks to the remote; pull/fetch must not bury them in a TRANSFER_FAILED (exit 1) per object.
  async function wrongSecretRepo(): Promise<{ r: TmpRepo; prefix: string; secret: string }> {
    const prefix = uniquePrefix("auth");
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files: { "a.txt": "a\n", "d/x": "x\n", "d/y": "y\n" } });
    await must(r, "add", "a.txt", "d");
    const secret = `WrongSecret${randomBytes(8).toString("hex")}`;
    await must(r, "remote", "modify", "--local", "s3r", "secret_access_key", secret);
    rmrf(join(r.dir, ".dvc/cache")); // so that pull and fetch must download
    return { r, prefix, secret };
  }

  function expectNoCredentials(what: string, res: CliRun, ...values: string[]): void {
    for (const text of [res.stdout, res.stderr]) for (const v of values) expect(text, what).not.toContain(v);
  }

  it.each([["push"], ["status", "-c"], ["pull"], ["fetch"]])(
    "a wrong secret: %s fails with REMOTE_AUTH (exit 7), no credential in the output, even with -v",
    async (...argv) => {
      const { r, prefix, secret } = await wrongSecretRepo();
      const res = await r.run(...argv, "--json");
      expectNoCredentials(`${argv.join(" ")} --json`, res, secret, cfg.accessKey);
      expect(res.code, `${argv.join(" ")}: ${res.stderr}`).toBe(7);
      expect(jsonError(res).code).toBe("REMOTE_AUTH");
      const verbose = await r.run("-v", ...argv);
      expectNoCredentials(`-v ${argv.join(" ")}`, verbose, secret, cfg.accessKey);
      expect(verbose.code).toBe(7);
      expect(await bucketKeys(bucket.client, bucket.name, prefix)).toEqual([]);
    },
  );

  it("an unknown access key id is REMOTE_AUTH and the id is not printed", async () => {
    const prefix = uniquePrefix("akid");
    const r = await makeS3Repo({ bucket: bucket.name, prefix, files: { "a.txt": "a\n" } });
    await must(r, "add", "a.txt");
    const id = `AKIDNOTREAL${randomBytes(5).toString("hex").toUpperCase()}`;
    await must(r, "remote", "modify", "--local", "s3r", "access_key_id", id);
    for (const argv of [
      ["push", "--json"],
      ["-v", "push"],
    ]) {
      const res = await r.run(...argv);
      expectNoCredentials(argv.join(" "), res, id, cfg.secretKey);
      expect(res.code, res.stderr).toBe(7);
      if (argv.includes("--json")) expect(jsonError(res).code).toBe("REMOTE_AUTH");
    }
  });

  it.each([["push"], ["status", "-c"], ["pull"], ["fetch"]])(
    "a missing bucket: %s fails with REMOTE_BUCKET_MISSING (exit 7)",
    async (...argv) => {
      const missing = `dvx-missing-${randomBytes(6).toString("hex")}`;
      const r = await makeS3Repo({ bucket: missing, prefix: "p", files: { "a.txt": "a\n", "b.txt": "b\n" } });
      await must(r, "add", "a.txt", "b.txt");
      rmrf(join(r.dir, ".dvc/cache")); // so that pull and fetch must download
      const res = await r.run(...argv, "--json");
      expect(res.code, `${argv.join(" ")}: ${res.stderr}`).toBe(7);
      const err = jsonError(res);
      expect(err.code).toBe("REMOTE_BUCKET_MISSING");
      expect(err.details).toMatchObject({ bucket: missing });
    },
  );

  it.each([["push"], ["status", "-c"], ["pull"], ["fetch"]])(
    "an endpoint on a closed loopback port: %s fails with REMOTE_UNREACHABLE (exit 7) within seconds",
    async (...argv) => {
      const port = await closedPort();
      const r = await makeS3Repo({
        bucket: bucket.name,
        prefix: "p",
        endpoint: `http://127.0.0.1:${port}`,
        files: { "a.txt": "a\n", "b.txt": "b\n" },
      });
      await must(r, "remote", "modify", "s3r", "connect_timeout", "2");
      await must(r, "add", "a.txt", "b.txt");
      rmrf(join(r.dir, ".dvc/cache")); // so that pull and fetch must download
      const t0 = Date.now();
      const res = await r.run(...argv, "--json");
      const took = Date.now() - t0;
      expect(res.code, `${argv.join(" ")}: ${res.stderr}`).toBe(7);
      expect(jsonError(res).code).toBe("REMOTE_UNREACHABLE");
      expect(took).toBeLessThan(15_000);
    },
  );
});
