// One contract, two adapters: LocalRemote on a temp dir and S3Remote on the loopback RGW (a fresh bucket).
// Plus S3-only checks: auth/bucket/endpoint error codes, secrets never leaking, WHEN_REQUIRED streaming.

import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ByteBudget } from "../../src/remote/byte-budget.js";
import { LocalRemote } from "../../src/remote/local.js";
import { openRemote } from "../../src/remote/open.js";
import { S3Remote } from "../../src/remote/s3.js";
import type { RemoteStore } from "../../src/remote/types.js";
import { makeBucket, s3Options, s3TestConfig, skipS3 } from "../helpers/s3-server.js";
import type { TestBucket } from "../helpers/s3-server.js";

const MiB = 1024 * 1024;
const skipS3Suites = await skipS3("remote-contract");

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "dvx-remote-contract-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function md5File(path: string): Promise<string> {
  const h = createHash("md5");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

async function makeFile(name: string, size: number): Promise<{ path: string; md5: string }> {
  const path = join(work, name);
  const data = randomBytes(size);
  await writeFile(path, data);
  return { path, md5: createHash("md5").update(data).digest("hex") };
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out.sort();
}

async function inPool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

interface Target {
  /** Opens the store; `options` are DVC remote options (ignored by the local remote). */
  open(options?: Record<string, string>): Promise<RemoteStore>;
}

function contract(kind: string, target: () => Target): void {
  const key = (k: string): string => `files/md5/${k}`;

  test(`${kind}: put, exists, get, delete`, async () => {
    const store = await target().open();
    const f = await makeFile(`${kind}-small`, 1234);
    expect(await store.exists(key("aa/small"))).toBe(false);
    expect(await store.size!(key("aa/small"))).toBeUndefined();
    await store.put(key("aa/small"), f.path, 1234);
    expect(await store.exists(key("aa/small"))).toBe(true);
    expect(await store.size!(key("aa/small"))).toBe(1234);
    const dest = join(work, `${kind}-small.out`);
    await store.get(key("aa/small"), dest);
    expect(await md5File(dest)).toBe(f.md5);
    await store.delete([key("aa/small"), key("aa/never-existed")]);
    expect(await store.exists(key("aa/small"))).toBe(false);
    await store.close();
  });

  test(`${kind}: empty object`, async () => {
    const store = await target().open();
    const f = await makeFile(`${kind}-empty`, 0);
    await store.put(key("d4/1d8cd98f00b204e9800998ecf8427e"), f.path, 0);
    const dest = join(work, `${kind}-empty.out`);
    await store.get(key("d4/1d8cd98f00b204e9800998ecf8427e"), dest);
    expect(await md5File(dest)).toBe("d41d8cd98f00b204e9800998ecf8427e");
    await store.close();
  });

  test(`${kind}: >= 3 MiB streamed round trip verifies`, async () => {
    const store = await target().open();
    const f = await makeFile(`${kind}-3m`, 3 * MiB + 12_345);
    await store.put(key(`${f.md5.slice(0, 2)}/${f.md5.slice(2)}`), f.path, 3 * MiB + 12_345);
    const dest = join(work, `${kind}-3m.out`);
    await store.get(key(`${f.md5.slice(0, 2)}/${f.md5.slice(2)}`), dest);
    expect(await md5File(dest)).toBe(f.md5);
    await store.close();
  });

  test(`${kind}: multipart object round trip`, async () => {
    const store = await target().open({ multipart_threshold: String(5 * MiB), multipart_chunksize: String(5 * MiB) });
    const f = await makeFile(`${kind}-12m`, 12 * MiB + 7);
    await store.put(key("mp/big"), f.path, 12 * MiB + 7);
    const dest = join(work, `${kind}-12m.out`);
    await store.get(key("mp/big"), dest);
    expect(await md5File(dest)).toBe(f.md5);
    await store.close();
  });

  test(`${kind}: more than 1000 objects are all listed, then deleted in batches`, async () => {
    const store = await target().open();
    const f = await makeFile(`${kind}-tiny`, 16);
    const keys = Array.from(
      { length: 1100 },
      (_, i) => `many/${(i % 256).toString(16).padStart(2, "0")}/${i.toString().padStart(30, "0")}`,
    );
    await inPool(keys, 32, (k) => store.put(k, f.path, 16));
    expect(await collect(store.list("many/"))).toEqual([...keys].sort());
    expect(await collect(store.list("many/0a/"))).toEqual(keys.filter((k) => k.startsWith("many/0a/")).sort());
    expect(await collect(store.list("many/0"))).toEqual(keys.filter((k) => k.startsWith("many/0")).sort());
    await store.delete(keys);
    expect(await collect(store.list("many/"))).toEqual([]);
    await store.close();
  }, 120_000);

  test(`${kind}: missing keys`, async () => {
    const store = await target().open();
    expect(await store.exists(key("00/missing"))).toBe(false);
    const err = await store.get(key("00/missing"), join(work, `${kind}-missing.out`)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "REMOTE_OBJECT_MISSING", exitCode: 5 });
    expect(await collect(store.list("no/such/prefix/"))).toEqual([]);
    await store.close();
  });

  test(`${kind}: a failed put leaves nothing under the final key`, async () => {
    const store = await target().open({ multipart_threshold: String(5 * MiB), multipart_chunksize: String(5 * MiB) });
    const f = await makeFile(`${kind}-fail`, 2 * MiB);
    // the file is not the size the caller announced (it changed after hashing)
    await expect(store.put(key("ff/changed"), f.path, 2 * MiB + 1)).rejects.toMatchObject({ code: "FILE_CHANGED" });
    expect(await store.exists(key("ff/changed"))).toBe(false);
    // aborted mid-upload (single request and multipart)
    for (const [name, size] of [
      ["ff/aborted", 4 * MiB],
      ["ff/aborted-mp", 20 * MiB],
    ] as const) {
      const g = await makeFile(`${kind}-${name.replace("/", "-")}`, size);
      const ac = new AbortController();
      const p = store.put(key(name), g.path, size, ac.signal);
      setTimeout(() => ac.abort(), 5);
      await p.catch(() => undefined); // on a fast local disk the copy may finish before the abort
      if (!(await store.exists(key(name)))) continue;
      const dest = join(work, `${kind}-aborted.out`);
      await store.get(key(name), dest); // if it got there, it got there whole
      expect(await md5File(dest)).toBe(g.md5);
    }
    expect((await collect(store.list("files/md5/ff/"))).filter((k) => k.endsWith(".tmp"))).toEqual([]);
    await store.close();
  });
}

describe("remote contract: local directory", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dvx-local-remote-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  contract("local", () => ({ open: async () => new LocalRemote({ root }) }));

  test("local: objects are read-only and no temp files remain", async () => {
    const store = new LocalRemote({ root });
    const f = await makeFile("local-mode", 10);
    await store.put("files/md5/ab/mode", f.path, 10);
    const { stat } = await import("node:fs/promises");
    expect((await stat(join(root, "files/md5/ab/mode"))).mode & 0o777).toBe(0o444);
    expect(await readdir(join(root, "files/md5/ab"))).toEqual(["mode"]);
    await expect(store.exists("../escape")).rejects.toMatchObject({ code: "UNSAFE_PATH" });
  });
});

describe.skipIf(skipS3Suites)("remote contract: S3 (RGW on loopback)", { timeout: 180_000 }, () => {
  const cfg = s3TestConfig();
  let bucket: TestBucket;
  beforeAll(async () => {
    bucket = await makeBucket("dvx-contract");
  });
  afterAll(async () => {
    await bucket?.remove();
  });
  const open = async (extra: Record<string, string> = {}): Promise<RemoteStore> =>
    openRemote({ name: "rgw", url: `s3://${bucket.name}/store/v1`, options: s3Options(cfg, extra), env: {} });
  contract("s3", () => ({ open }));

  test("s3: keys live under the URL prefix and big files use multipart", async () => {
    const store = await open({ multipart_threshold: String(5 * MiB), multipart_chunksize: String(5 * MiB) });
    const f = await makeFile("s3-prefix", 11 * MiB);
    await store.put("files/md5/12/3456", f.path, 11 * MiB);
    const head = await bucket.client.send(
      new HeadObjectCommand({ Bucket: bucket.name, Key: "store/v1/files/md5/12/3456" }),
    );
    expect(head.ContentLength).toBe(11 * MiB);
    expect(head.ETag).toMatch(/-3"$/); // 5 + 5 + 1 MiB
    expect(store.url).toBe(`s3://${bucket.name}/store/v1`);
    await store.close();
  });

  test("s3: the client sends streamed bodies the way RGW accepts (WHEN_REQUIRED)", async () => {
    const f = await makeFile("s3-stream", 3 * MiB);
    // the SDK defaults (aws-chunked + CRC32 trailer) are refused by RGW: this is what WHEN_REQUIRED avoids
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const defaults = new S3Client({
      endpoint: cfg.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      maxAttempts: 1,
      logger: quiet,
      credentials: { accessKeyId: cfg.accessKey, secretAccessKey: cfg.secretKey },
    });
    const refused = await defaults
      .send(new PutObjectCommand({ Bucket: bucket.name, Key: "raw/default", Body: createReadStream(f.path) }))
      .catch((e: unknown) => e);
    defaults.destroy();
    expect(refused).toMatchObject({ $metadata: { httpStatusCode: 411 } });
    const store = await open();
    await store.put("raw/ours", f.path, 3 * MiB);
    const dest = join(work, "s3-stream.out");
    await store.get("raw/ours", dest);
    expect(await md5File(dest)).toBe(f.md5);
    await store.close();
  });

  test("s3: wrong credentials → REMOTE_AUTH and the secret appears nowhere", async () => {
    const secret = "wrong-secret-Xy9Zq8Wv7Ut6";
    const token = "session-token-Ab1Cd2Ef3Gh4";
    const store = await openRemote({
      name: "rgw",
      url: `s3://${bucket.name}/store`,
      options: s3Options(cfg, { secret_access_key: secret, session_token: token }),
      env: {},
    });
    const f = await makeFile("s3-auth", 100);
    for (const op of [
      () => store.put("files/md5/aa/x", f.path, 100),
      () => store.get("files/md5/aa/x", join(work, "auth.out")),
      () => collect(store.list("")),
    ]) {
      const err = (await op().catch((e: unknown) => e)) as Error & {
        code: string;
        exitCode: number;
        toJSON(): unknown;
        cause?: unknown;
      };
      expect(err).toMatchObject({ code: "REMOTE_AUTH", exitCode: 7 });
      const everything = [
        err.message,
        err.stack,
        JSON.stringify(err.toJSON()),
        String(err.cause),
        (err.cause as Error | undefined)?.stack,
        JSON.stringify(err.cause),
      ].join("\n");
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(token);
    }
    await store.close();
  });

  test("s3: missing bucket → REMOTE_BUCKET_MISSING", async () => {
    const store = await openRemote({
      name: "rgw",
      url: "s3://dvx-no-such-bucket-4b1d/x",
      options: s3Options(cfg),
      env: {},
    });
    const f = await makeFile("s3-nobucket", 10);
    await expect(store.put("files/md5/aa/x", f.path, 10)).rejects.toMatchObject({
      code: "REMOTE_BUCKET_MISSING",
      details: { bucket: "dvx-no-such-bucket-4b1d" },
    });
    await expect(collect(store.list(""))).rejects.toMatchObject({ code: "REMOTE_BUCKET_MISSING" });
    await store.close();
  });

  test("s3: unreachable endpoint → REMOTE_UNREACHABLE, fast", async () => {
    const port = await closedPort();
    const store = await openRemote({
      name: "rgw",
      url: "s3://bucket/x",
      options: s3Options(cfg, { endpointurl: `http://127.0.0.1:${port}` }),
      env: {},
    });
    const t0 = Date.now();
    const err = await store.exists("files/md5/aa/x").catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "REMOTE_UNREACHABLE",
      exitCode: 7,
      details: { endpoint: `http://127.0.0.1:${port}` },
    });
    expect((err as { hint?: string }).hint).toContain("dvx remote modify rgw endpointurl");
    expect(Date.now() - t0).toBeLessThan(5000);
    await store.close();
  });

  test("s3: acl and anonymous access (allow_anonymous_login)", async () => {
    const f = await makeFile("s3-public", 1000);
    const writer = await open({ acl: "public-read" });
    await writer.put("public/obj", f.path, 1000);
    await writer.close();
    const anon = await openRemote({
      name: "anon",
      url: `s3://${bucket.name}/store/v1`,
      options: { endpointurl: cfg.endpoint, allow_anonymous_login: "true" },
      env: {},
    });
    const dest = join(work, "s3-public.out");
    await anon.get("public/obj", dest);
    expect(await md5File(dest)).toBe(f.md5);
    await expect(anon.get("files/md5/12/3456", dest)).rejects.toMatchObject({ code: "REMOTE_AUTH" }); // private object
    await anon.close();
  });

  test("s3: profile + credentialpath/configpath select credentials from the given files", async () => {
    const creds = join(work, "aws-credentials");
    const conf = join(work, "aws-config");
    await writeFile(
      creds,
      `[default]\naws_access_key_id = nope\naws_secret_access_key = nope\n\n[rgw-test]\naws_access_key_id = ${cfg.accessKey}\naws_secret_access_key = ${cfg.secretKey}\n`,
    );
    await writeFile(conf, "[profile rgw-test]\nregion = us-east-1\n");
    const store = await openRemote({
      name: "rgw",
      url: `s3://${bucket.name}/store/v1`,
      options: { endpointurl: cfg.endpoint, profile: "rgw-test", credentialpath: creds, configpath: conf },
      env: {},
    });
    const f = await makeFile("s3-profile", 100);
    await store.put("profile/obj", f.path, 100);
    expect(await store.exists("profile/obj")).toBe(true);
    await store.close();
    const wrong = await openRemote({
      name: "rgw",
      url: `s3://${bucket.name}/store/v1`,
      options: { endpointurl: cfg.endpoint, profile: "default", credentialpath: creds, configpath: conf },
      env: {},
    });
    await expect(wrong.exists("profile/obj")).rejects.toMatchObject({ code: "REMOTE_AUTH" });
    await wrong.close();
  });

  test("s3: large transfers wait for the memory budget, and a download that waited still arrives whole", async () => {
    const budget = new ByteBudget(12 * MiB);
    const mp = { multipart_threshold: String(5 * MiB), multipart_chunksize: String(5 * MiB) };
    const url = `s3://${bucket.name}/store/v1`;
    const store = new S3Remote({ url, options: s3Options(cfg, mp), env: {}, budget });
    const files = await Promise.all([0, 1, 2].map((i) => makeFile(`s3-budget-${i}`, 11 * MiB + i)));
    const keys = files.map((_, i) => `budget/obj${i}`);
    const exists = (k: string): Promise<boolean> =>
      bucket.client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: `store/v1/${k}` })).then(
        () => true,
        () => false,
      );
    // the budget is taken: uploads wait before they send anything
    let hold = budget.tryAcquire(12 * MiB)!;
    const puts = Promise.all(files.map((f, i) => store.put(keys[i]!, f.path, 11 * MiB + i)));
    await new Promise((r) => setTimeout(r, 300));
    expect(await Promise.all(keys.map(exists))).toEqual([false, false, false]);
    hold();
    await puts;
    expect(budget.inUse).toBe(0);
    // downloads: the first response arrives while the budget is taken; it is dropped and fetched again by range
    hold = budget.tryAcquire(12 * MiB)!;
    const dests = files.map((_, i) => join(work, `s3-budget-${i}.out`));
    const gets = Promise.all(keys.map((k, i) => store.get(k, dests[i]!)));
    await new Promise((r) => setTimeout(r, 300));
    expect(budget.inUse).toBe(12 * MiB);
    expect((await readdir(work)).filter((n) => n.endsWith(".out") && n.startsWith("s3-budget-"))).toEqual([]);
    hold();
    await gets;
    expect(await Promise.all(dests.map(md5File))).toEqual(files.map((f) => f.md5));
    expect(budget.inUse).toBe(0);
    await store.close();
  });

  test("s3: the S3 adapter is a direct import too (no openRemote)", async () => {
    const store = new S3Remote({ url: `s3://${bucket.name}`, options: s3Options(cfg, { jobs: "12" }), env: {} });
    expect(store.defaultJobs).toBe(12);
    expect(store.url).toBe(`s3://${bucket.name}`);
    await store.close();
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
