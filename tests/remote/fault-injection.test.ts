// S3Remote through a fault-injecting loopback proxy in front of RGW: transient 503/500/resets/truncated
// bodies are retried and the content verifies; permanent failures reject with a RemoteError (never a
// silently short file reported as success, never a partial object under the final key).

import { createHash, randomBytes } from "node:crypto";
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { S3Remote } from "../../src/remote/s3.js";
import { startFaultProxy } from "../helpers/fault-proxy.js";
import type { FaultProxy } from "../helpers/fault-proxy.js";
import { makeBucket, s3Options, s3TestConfig, skipS3 } from "../helpers/s3-server.js";
import type { TestBucket } from "../helpers/s3-server.js";

const MiB = 1024 * 1024;
const skipS3Suites = await skipS3("fault-injection");

describe.skipIf(skipS3Suites)("S3Remote under injected faults", { timeout: 120_000 }, () => {
  const cfg = s3TestConfig();
  let bucket: TestBucket;
  let proxy: FaultProxy;
  let work: string;
  let store: S3Remote;

  beforeAll(async () => {
    bucket = await makeBucket("dvx-faults");
    proxy = await startFaultProxy(cfg.endpoint);
    work = await mkdtemp(join(tmpdir(), "dvx-faults-"));
    store = new S3Remote({
      url: `s3://${bucket.name}/p`,
      options: s3Options(cfg, {
        endpointurl: proxy.url,
        multipart_threshold: String(5 * MiB),
        multipart_chunksize: String(5 * MiB),
      }),
      env: {},
      retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
    });
  });
  afterEach(() => proxy.setRules([]));
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
    await bucket?.remove();
    await rm(work, { recursive: true, force: true });
  });

  const md5 = (b: Buffer): string => createHash("md5").update(b).digest("hex");

  async function seed(key: string, size: number): Promise<Buffer> {
    const data = randomBytes(size);
    await bucket.client.send(new PutObjectCommand({ Bucket: bucket.name, Key: `p/${key}`, Body: data }));
    return data;
  }

  async function localFile(name: string, size: number): Promise<{ path: string; data: Buffer }> {
    const data = randomBytes(size);
    const path = join(work, name);
    await writeFile(path, data);
    return { path, data };
  }

  async function directMd5(key: string): Promise<string | undefined> {
    try {
      const out = await bucket.client.send(new GetObjectCommand({ Bucket: bucket.name, Key: `p/${key}` }));
      return md5(Buffer.from(await out.Body!.transformToByteArray()));
    } catch (err) {
      if ((err as { name?: string }).name === "NoSuchKey") return undefined;
      throw err;
    }
  }

  test.each(["slowdown", "error500", "reset", "truncate"] as const)(
    "get survives two injected %s faults",
    async (fault) => {
      const data = await seed(`get/${fault}`, 3 * MiB + 3);
      proxy.setRules([{ fault, method: "GET", match: /\/get\//, first: 2 }]);
      const dest = join(work, `get-${fault}.out`);
      await store.get(`get/${fault}`, dest);
      expect(md5(await readFile(dest))).toBe(md5(data));
      expect(proxy.injected(fault)).toBe(2);
    },
  );

  test.each(["slowdown", "error500", "reset", "truncate"] as const)(
    "ranged get (object above the multipart threshold) survives %s faults on its part requests; the tap sees the bytes in order",
    async (fault) => {
      const data = await seed(`rget/${fault}`, 17 * MiB + 11); // first request + 3 ranged parts of 5 MiB
      proxy.setRules([{ fault, method: "GET", match: /\/rget\//, first: 3 }]);
      const dest = join(work, `rget-${fault}.out`);
      const h = { hash: createHash("md5"), resets: 0 };
      const tap = {
        reset: () => ((h.hash = createHash("md5")), h.resets++),
        update: (c: Uint8Array) => void h.hash.update(c),
      };
      await store.get(`rget/${fault}`, dest, undefined, tap);
      const got = await readFile(dest);
      expect(got.length).toBe(data.length);
      expect(md5(got)).toBe(md5(data));
      expect(h.hash.digest("hex")).toBe(md5(data));
      expect(proxy.injected(fault)).toBe(3);
    },
  );

  test("a ranged get that keeps failing rejects with a RemoteError", async () => {
    await seed("rget/perm", 12 * MiB);
    proxy.setRules([{ fault: "error500", method: "GET", match: /\/rget\/perm/ }]);
    const err = await store.get("rget/perm", join(work, "rget-perm.out")).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 7, name: "RemoteError", code: "REMOTE_IO" });
  });

  test.each(["slowdown", "error500", "reset", "truncate"] as const)(
    "streamed put survives two injected %s faults",
    async (fault) => {
      const f = await localFile(`put-${fault}`, 3 * MiB + 5);
      proxy.setRules([{ fault, method: "PUT", first: 2 }]);
      await store.put(`put/${fault}`, f.path, f.data.length);
      expect(proxy.injected(fault)).toBe(2);
      expect(await directMd5(`put/${fault}`)).toBe(md5(f.data));
    },
  );

  test("multipart put survives failing parts and a lost Complete response", async () => {
    const f = await localFile("mp", 17 * MiB + 1);
    proxy.setRules([
      { fault: "error500", method: "PUT", match: /partNumber=/, every: 2 },
      { fault: "reset", method: "POST", match: /uploadId=/, first: 1 }, // Complete succeeds upstream, the answer is lost
    ]);
    await store.put("mp/ok", f.path, f.data.length);
    expect(proxy.injected("error500")).toBeGreaterThanOrEqual(2);
    expect(proxy.injected("reset")).toBe(1);
    expect(await directMd5("mp/ok")).toBe(md5(f.data));
  });

  test("exists and list retry throttling", async () => {
    await seed("meta/a", 10);
    proxy.setRules([
      { fault: "slowdown", method: "HEAD", first: 2 },
      { fault: "error500", match: /list-type=2/, first: 2 },
    ]);
    expect(await store.exists("meta/a")).toBe(true);
    const keys: string[] = [];
    for await (const k of store.list("meta/")) keys.push(k);
    expect(keys).toEqual(["meta/a"]);
    expect(proxy.injected()).toBe(4);
  });

  test("many concurrent transfers under a mixed fault schedule all verify", async () => {
    const files = await Promise.all(Array.from({ length: 24 }, (_, i) => localFile(`mix-${i}`, 256 * 1024 + i)));
    // every object meets each fault once, in this order, whatever the interleaving
    proxy.setRules([
      { fault: "truncate", method: "GET", perUrl: 1 },
      { fault: "reset", perUrl: 1 },
      { fault: "slowdown", perUrl: 1 },
      { fault: "error500", method: "PUT", perUrl: 1 },
    ]);
    await Promise.all(files.map((f, i) => store.put(`mix/${i}`, f.path, f.data.length)));
    await Promise.all(
      files.map(async (f, i) => {
        const dest = `${f.path}.out`;
        await store.get(`mix/${i}`, dest);
        expect(md5(await readFile(dest))).toBe(md5(f.data));
      }),
    );
    expect(proxy.injected("truncate")).toBe(24);
    expect(proxy.injected("reset")).toBe(48);
    expect(proxy.injected("slowdown")).toBe(48);
    expect(proxy.injected("error500")).toBe(24);
  });

  test("a permanently truncated download rejects with a RemoteError", async () => {
    await seed("perm/trunc", 1 * MiB);
    proxy.setRules([{ fault: "truncate", method: "GET" }]);
    const err = await store.get("perm/trunc", join(work, "perm.out")).then(
      () => "resolved",
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ exitCode: 7, name: "RemoteError" });
    expect(["REMOTE_IO", "REMOTE_TRUNCATED"]).toContain((err as { code: string }).code);
  });

  test("a permanently failing put rejects and leaves no object", async () => {
    const f = await localFile("perm-put", 2 * MiB);
    proxy.setRules([{ fault: "error500", method: "PUT" }]);
    await expect(store.put("perm/put", f.path, f.data.length)).rejects.toMatchObject({
      code: "REMOTE_IO",
      exitCode: 7,
    });
    expect(await directMd5("perm/put")).toBeUndefined();
  });

  test("a permanently failing multipart upload rejects, leaves no object and aborts the upload", async () => {
    const f = await localFile("perm-mp", 12 * MiB);
    proxy.setRules([{ fault: "reset", method: "PUT", match: /partNumber=2/ }]);
    await expect(store.put("perm/mp", f.path, f.data.length)).rejects.toMatchObject({ exitCode: 7 });
    await expect(
      bucket.client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: "p/perm/mp" })),
    ).rejects.toMatchObject({ name: "NotFound" });
    const open = await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name }));
    expect(open.Uploads ?? []).toEqual([]);
  });

  test("a permanently throttled HEAD rejects instead of reporting 'missing'", async () => {
    await seed("perm/head", 10);
    proxy.setRules([{ fault: "slowdown", method: "HEAD" }]);
    await expect(store.exists("perm/head")).rejects.toMatchObject({ code: "REMOTE_IO", exitCode: 7 });
  });
});
