// Pure pieces of remote/: option parsing, part sizing, retry policy, error classification, openRemote
// dispatch. No server needed.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { LocalRemote } from "../../src/remote/local.js";
import { MAX_PARTS, choosePartSize, planParts } from "../../src/remote/multipart.js";
import { openRemote } from "../../src/remote/open.js";
import { redact } from "../../src/remote/remote-errors.js";
import { backoffDelay, withRetry } from "../../src/remote/retry.js";
import { TruncatedBodyError, isNotFound, isRetryableS3Error, mapS3Error } from "../../src/remote/s3-errors.js";
import { parseS3Url, resolveS3Settings } from "../../src/remote/s3-options.js";
import { ByteBudget } from "../../src/remote/byte-budget.js";
import { S3_DEFAULT_JOBS, downloadParts, largeTransferBudget, uploadMemory } from "../../src/remote/s3-concurrency.js";

const MiB = 1024 * 1024;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"; // the S3 client is built in openRemote tests
const awsErr = (name: string, status?: number, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  });

describe("s3 options", () => {
  test("URL parsing", () => {
    expect(parseS3Url("s3://bucket")).toEqual({ bucket: "bucket", prefix: "" });
    expect(parseS3Url("s3://bucket/a/b/")).toEqual({ bucket: "bucket", prefix: "a/b" });
    expect(() => parseS3Url("s3:///prefix")).toThrow(expect.objectContaining({ code: "CONFIG" }));
    expect(() => parseS3Url("s3://")).toThrow(expect.objectContaining({ code: "CONFIG" }));
  });

  test("defaults and DVC option names", () => {
    const s = resolveS3Settings("s3://b/p", {}, {});
    expect(s).toMatchObject({
      bucket: "b",
      prefix: "p",
      url: "s3://b/p",
      region: "us-east-1",
      sslVerify: true,
      multipartThreshold: 64 * MiB,
      multipartChunksize: 16 * MiB,
      connectTimeoutMs: 60_000,
      readTimeoutMs: 60_000,
      credentials: { kind: "chain" },
    });
    expect(s.endpoint).toBeUndefined();
    const t = resolveS3Settings(
      "s3://b",
      {
        endpointurl: "minio.local:9000",
        use_ssl: "false",
        region: "eu-west-1",
        ssl_verify: "/etc/ca.pem",
        sse: "aws:kms",
        sse_kms_key_id: "k1",
        jobs: "7",
        read_timeout: "5",
        profile: "dev",
        credentialpath: "/c",
        configpath: "/f",
      },
      {},
    );
    expect(t).toMatchObject({
      endpoint: "http://minio.local:9000",
      region: "eu-west-1",
      sslVerify: "/etc/ca.pem",
      jobs: 7,
      readTimeoutMs: 5000,
      putParams: { ServerSideEncryption: "aws:kms", SSEKMSKeyId: "k1" },
      credentials: { kind: "chain", profile: "dev", filepath: "/c", configFilepath: "/f" },
    });
  });

  test("credentials: options, then the passed env, then the chain; secrets are collected for redaction", () => {
    const s = resolveS3Settings(
      "s3://b",
      { access_key_id: "AKIAEXAMPLE", secret_access_key: "s3cr3t-value", session_token: "tok-value" },
      { AWS_ACCESS_KEY_ID: "ignored", AWS_SECRET_ACCESS_KEY: "ignored" },
    );
    expect(s.credentials).toEqual({
      kind: "static",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: "s3cr3t-value",
      sessionToken: "tok-value",
    });
    expect(s.secrets).toEqual(expect.arrayContaining(["s3cr3t-value", "tok-value"]));
    expect(
      resolveS3Settings("s3://b", {}, { AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "env-secret" }).credentials,
    ).toMatchObject({ kind: "static", secretAccessKey: "env-secret" });
    expect(
      resolveS3Settings("s3://b", {}, { AWS_PROFILE: "p", AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "x" })
        .credentials,
    ).toEqual({ kind: "chain", profile: "p" });
    expect(resolveS3Settings("s3://b", { allow_anonymous_login: "true" }, {}).credentials).toEqual({
      kind: "anonymous",
    });
    expect(() => resolveS3Settings("s3://b", { access_key_id: "only-id" }, {})).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
  });

  test("invalid values are config errors that name the option", () => {
    expect(() => resolveS3Settings("s3://b", { use_ssl: "maybe" }, {})).toThrow(
      expect.objectContaining({ code: "CONFIG", details: expect.objectContaining({ option: "use_ssl" }) }),
    );
    expect(() => resolveS3Settings("s3://b", { multipart_chunksize: "1024" }, {})).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
    expect(() => resolveS3Settings("s3://b", { version_aware: "true" }, {})).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
    expect(() => resolveS3Settings("s3://b", { acl: "private", grant_read: "id=1" }, {})).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
  });
});

describe("S3 transfer defaults (s3-concurrency.ts)", () => {
  const GB = 1e9;
  test("objects in flight: 64 without -j / jobs, whatever the cores; the option overrides", () => {
    expect(S3_DEFAULT_JOBS).toBe(64);
    expect(resolveS3Settings("s3://b", {}, {}).jobs).toBe(64);
    expect(resolveS3Settings("s3://b", { jobs: "3" }, {}).jobs).toBe(3);
    expect(() => resolveS3Settings("s3://b", { jobs: "0" }, {})).toThrow(expect.objectContaining({ code: "CONFIG" }));
  });

  test("large transfers share 1/64 of the machine's memory, within 64-128 MiB", () => {
    expect(largeTransferBudget(1 * GB)).toBe(64 * MiB);
    expect(largeTransferBudget(4 * 1024 * MiB)).toBe(64 * MiB);
    expect(largeTransferBudget(6 * 1024 * MiB)).toBe(96 * MiB);
    expect(largeTransferBudget(8 * 1024 * MiB)).toBe(128 * MiB);
    expect(largeTransferBudget(24 * GB)).toBe(128 * MiB);
    expect(largeTransferBudget(1024 * GB)).toBe(128 * MiB);
  });

  test("what one large object holds, and so how many run at once", () => {
    const inFlight = (each: number, budget: number): number => Math.max(1, Math.floor(budget / each));
    // default 16 MiB parts: a download keeps 4 parts (64 MiB), an upload 8 parts x 2 reads of 1 MiB (16 MiB)
    expect(downloadParts(16 * MiB, 128 * MiB)).toBe(4);
    expect(downloadParts(16 * MiB, 64 * MiB)).toBe(4);
    expect(uploadMemory(8)).toBe(16 * MiB);
    expect(inFlight(4 * 16 * MiB, largeTransferBudget(24 * GB))).toBe(2); // downloads at once, 24 GB machine
    expect(inFlight(4 * 16 * MiB, largeTransferBudget(2 * GB))).toBe(1);
    expect(inFlight(uploadMemory(8), largeTransferBudget(24 * GB))).toBe(8); // uploads at once
    // huge objects get huge parts (10,000 parts at most): fewer of them in flight, never none
    expect(downloadParts(choosePartSize(1e12, 16 * MiB), 128 * MiB)).toBe(1);
    expect(downloadParts(40 * MiB, 128 * MiB)).toBe(3);
    expect(downloadParts(200 * MiB, 64 * MiB)).toBe(1);
  });
});

describe("ByteBudget", () => {
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

  test("never holds more than its capacity; waiters go first come, first served", async () => {
    const b = new ByteBudget(100);
    const r1 = b.tryAcquire(60)!;
    expect(r1).toBeDefined();
    expect(b.tryAcquire(50)).toBeUndefined(); // does not fit
    const order: string[] = [];
    const big = b.acquire(70).then((r) => (order.push("big"), r));
    const small = b.acquire(10).then((r) => (order.push("small"), r)); // would fit now, but waits its turn
    expect(b.tryAcquire(10)).toBeUndefined(); // nobody jumps the queue
    await tick();
    expect(order).toEqual([]);
    expect(b.inUse).toBe(60);
    r1();
    r1(); // a second release changes nothing
    const [rb, rs] = await Promise.all([big, small]);
    expect(order).toEqual(["big", "small"]);
    expect(b.inUse).toBe(80);
    rb();
    rs();
    expect(b.inUse).toBe(0);
  });

  test("a request larger than the budget waits for an empty budget, then runs alone", async () => {
    const b = new ByteBudget(100);
    const r1 = b.tryAcquire(1)!;
    let got = false;
    const huge = b.acquire(1000).then((r) => ((got = true), r));
    await tick();
    expect(got).toBe(false);
    r1();
    const rh = await huge;
    expect(b.inUse).toBe(100);
    expect(b.tryAcquire(1)).toBeUndefined();
    rh();
    expect(b.tryAcquire(1)).toBeDefined();
  });

  test("many holders at once stay within the capacity", async () => {
    const b = new ByteBudget(64);
    let peak = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const release = await b.acquire(8 + (i % 5) * 8);
        peak = Math.max(peak, b.inUse);
        await new Promise((r) => setTimeout(r, 1 + (i % 3)));
        release();
      }),
    );
    expect(peak).toBeLessThanOrEqual(64);
    expect(peak).toBeGreaterThan(32);
    expect(b.inUse).toBe(0);
  });
});

describe("multipart planning", () => {
  test("part size respects the chunk size and the 10,000-part limit", () => {
    expect(choosePartSize(100 * MiB, 16 * MiB)).toBe(16 * MiB);
    const huge = 1024 * 1024 * MiB; // 1 TiB
    const part = choosePartSize(huge, 16 * MiB);
    expect(part % MiB).toBe(0);
    expect(Math.ceil(huge / part)).toBeLessThanOrEqual(MAX_PARTS);
    expect(choosePartSize(10, 1)).toBe(5 * MiB);
  });

  test("parts cover the file exactly", () => {
    const parts = planParts(12 * MiB + 7, 5 * MiB);
    expect(parts.map((p) => [p.partNumber, p.start, p.end, p.length])).toEqual([
      [1, 0, 5 * MiB - 1, 5 * MiB],
      [2, 5 * MiB, 10 * MiB - 1, 5 * MiB],
      [3, 10 * MiB, 12 * MiB + 6, 2 * MiB + 7],
    ]);
  });
});

describe("retry", () => {
  test("full jitter stays within the exponential cap", () => {
    const p = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, p, () => 0.999)).toBe(99);
    expect(backoffDelay(3, p, () => 0.999)).toBe(799);
    expect(backoffDelay(10, p, () => 0.999)).toBe(999);
    expect(backoffDelay(3, p, () => 0)).toBe(0);
  });

  test("retries only what is retryable, up to the attempt budget", async () => {
    let calls = 0;
    const transient = await withRetry(
      async () => {
        if (++calls < 3) throw awsErr("SlowDown", 503);
        return "ok";
      },
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 2, isRetryable: isRetryableS3Error },
    );
    expect([transient, calls]).toEqual(["ok", 3]);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw awsErr("AccessDenied", 403);
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 2, isRetryable: isRetryableS3Error },
      ),
    ).rejects.toThrow();
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw awsErr("InternalError", 500);
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, isRetryable: isRetryableS3Error },
      ),
    ).rejects.toThrow();
    expect(calls).toBe(3);
  });
});

describe("S3 error classification and mapping", () => {
  const ctx = {
    url: "s3://b/p",
    bucket: "b",
    endpoint: "http://127.0.0.1:7480",
    name: "store",
    secrets: ["SECRETKEY123"],
  };

  test("retryable", () => {
    for (const e of [
      awsErr("SlowDown", 503),
      awsErr("Whatever", 500),
      awsErr("TooManyRequestsException", 429),
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      Object.assign(new Error("x"), { code: "EPIPE" }),
      new TruncatedBodyError(1, 2),
      Object.assign(new Error("idle"), { name: "TimeoutError" }),
    ]) {
      expect(isRetryableS3Error(e)).toBe(true);
    }
    for (const e of [
      awsErr("AccessDenied", 403),
      awsErr("NoSuchKey", 404),
      awsErr("NoSuchBucket", 404),
      Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
      Object.assign(new Error("did not establish a connection"), { name: "TimeoutError" }),
    ]) {
      expect(isRetryableS3Error(e)).toBe(false);
    }
  });

  test("not found", () => {
    expect(isNotFound(awsErr("NotFound", 404))).toBe(true);
    expect(isNotFound(awsErr("NoSuchBucket", 404))).toBe(false);
    expect(isNotFound(awsErr("AccessDenied", 403))).toBe(false);
  });

  test("codes, hints and redaction", () => {
    expect(mapS3Error(awsErr("InvalidAccessKeyId", 403), "upload", "k", ctx)).toMatchObject({
      code: "REMOTE_AUTH",
      exitCode: 7,
      details: { bucket: "b", endpoint: "http://127.0.0.1:7480" },
    });
    expect(mapS3Error(awsErr("SignatureDoesNotMatch", 403), "upload", "k", ctx).code).toBe("REMOTE_AUTH");
    expect(mapS3Error(awsErr("Forbidden", 403), "check", "k", ctx).code).toBe("REMOTE_AUTH");
    expect(mapS3Error(awsErr("NoSuchBucket", 404), "list", undefined, ctx)).toMatchObject({
      code: "REMOTE_BUCKET_MISSING",
      details: { bucket: "b" },
    });
    expect(mapS3Error(awsErr("NoSuchKey", 404), "download", "k", ctx)).toMatchObject({
      code: "REMOTE_OBJECT_MISSING",
      exitCode: 5,
    });
    const unreachable = mapS3Error(
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      "check",
      "k",
      ctx,
    );
    expect(unreachable).toMatchObject({ code: "REMOTE_UNREACHABLE" });
    expect(unreachable.hint).toContain("dvx remote modify store endpointurl");
    const io = mapS3Error(
      awsErr("Weird", 400, { message: "bad SECRETKEY123 here", AWSAccessKeyId: "AKIA" }),
      "upload",
      "k",
      ctx,
    );
    expect(io.code).toBe("REMOTE_IO");
    expect(io.message).not.toContain("SECRETKEY123");
    expect(JSON.stringify(io.cause)).not.toContain("AKIA");
    expect(redact("a SECRETKEY123 b", ["SECRETKEY123"])).toBe("a *** b");
  });
});

describe("openRemote", () => {
  test("dispatches by scheme", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dvx-open-"));
    try {
      const abs = await openRemote({ name: "l", url: dir, options: {}, env: {} });
      expect(abs).toBeInstanceOf(LocalRemote);
      expect(abs.url).toBe(dir);
      expect(
        (await openRemote({ name: "l", url: "../store", options: { jobs: "3" }, env: {}, cwd: join(dir, "repo") })).url,
      ).toBe(join(dir, "store"));
      expect(
        (await openRemote({ name: "l", url: "../store", options: { jobs: "3" }, env: {}, cwd: dir })).defaultJobs,
      ).toBe(3);
      expect((await openRemote({ name: "l", url: `file://${dir}/x`, options: {}, env: {} })).url).toBe(`${dir}/x`);
      const s3 = await openRemote({
        name: "s",
        url: "s3://bucket/pre",
        options: { endpointurl: "http://127.0.0.1:1", access_key_id: "a", secret_access_key: "b" },
        env: {},
      });
      expect(s3.url).toBe("s3://bucket/pre");
      await s3.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("unsupported, malformed and relative-without-base URLs are config errors", async () => {
    for (const url of [
      "gs://b/p",
      "azure://c/p",
      "ssh://u@h/p",
      "http://h/p",
      "hdfs://h/p",
      "webdav://h/p",
      "remote://other/p",
    ]) {
      await expect(openRemote({ name: "r", url, options: {}, env: {} })).rejects.toMatchObject({
        code: "CONFIG",
        exitCode: 4,
      });
    }
    const err = (await openRemote({ name: "r", url: "ssh://user:pw@host/p", options: {}, env: {} }).catch(
      (e: unknown) => e,
    )) as { details: unknown };
    expect(JSON.stringify(err.details)).not.toContain("pw");
    await expect(openRemote({ name: "r", url: "s3://", options: {}, env: {} })).rejects.toMatchObject({
      code: "CONFIG",
    });
    await expect(openRemote({ name: "r", url: "rel/path", options: {}, env: {} })).rejects.toMatchObject({
      code: "CONFIG",
    });
    await expect(openRemote({ name: "r", url: "/abs", options: { jobs: "zero" }, env: {} })).rejects.toMatchObject({
      code: "CONFIG",
    });
  });
});
