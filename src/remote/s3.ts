// S3 remote (AWS S3 and S3-compatible servers such as Ceph RGW / MinIO). The only module that imports
// @aws-sdk/*; loaded lazily by open.ts because the SDK costs ~110 ms to import. Every failure leaves this
// file as a RemoteError (see s3-errors.ts); credentials never appear in messages, details or causes.

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { PutObjectCommandInput, S3ClientConfig } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import {
  createReadStream,
  createWriteStream,
  readFile as readFileCb,
  readFileSync,
  writeFile as writeFileCb,
} from "node:fs";
import { stat } from "node:fs/promises";
import { totalmem } from "node:os";
import { promisify } from "node:util";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConfigError, DiskFullError, FileChangedError, PathNotFoundError } from "../errors.js";
import type { AppError } from "../errors.js";
import { runPool } from "../util/pool.js";
import { ByteBudget } from "./byte-budget.js";
import { choosePartSize, planParts } from "./multipart.js";
import { rangedGet } from "./ranged-get.js";
import { isAbort } from "./remote-errors.js";
import { DEFAULT_RETRY, withRetry } from "./retry.js";
import type { RetryPolicy } from "./retry.js";
import { TruncatedBodyError, isNotFound, isRetryableS3Error, mapS3Error } from "./s3-errors.js";
import type { S3ErrorContext } from "./s3-errors.js";
import {
  STREAM_CHUNK,
  UPLOAD_PARTS_IN_FLIGHT,
  downloadParts,
  largeTransferBudget,
  uploadMemory,
} from "./s3-concurrency.js";
import { resolveS3Settings } from "./s3-options.js";
import type { Env, S3Settings } from "./s3-options.js";
import type { DataTap, RemoteStore } from "./types.js";

export interface S3RemoteInit {
  url: string;
  options: Readonly<Record<string, string>>;
  env: Env;
  /** Remote name from the config, used in hints. */
  name?: string;
  /** Our retry layer on top of the SDK's (tests shorten it). */
  retry?: Partial<RetryPolicy>;
  /** The SDK's own attempts per request (default 3). */
  sdkMaxAttempts?: number;
  /** Parts of one multipart upload in flight at once (default 8). */
  partConcurrency?: number;
  /** Memory budget of large transfers (default: from the machine's memory, see s3-concurrency.ts). */
  budget?: ByteBudget;
}

const SILENT_LOGGER = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const DELETE_BATCH = 1000;
// callback fs (raw fds) rather than fs/promises FileHandles: cheaper for thousands of small objects
const readFile = promisify(readFileCb);
const writeFile = promisify(writeFileCb);
/** Objects up to this size are sent and received as one buffer. */
const SMALL_BODY = 1 << 20;

export class S3Remote implements RemoteStore {
  readonly url: string;
  readonly defaultJobs: number;
  private readonly s: S3Settings;
  private readonly client: S3Client;
  private readonly ctx: S3ErrorContext;
  private readonly retry: RetryPolicy;
  private readonly partConcurrency: number;
  /** Memory held by large transfers (multipart uploads, ranged downloads); see s3-concurrency.ts. */
  private readonly budget: ByteBudget;

  constructor(init: S3RemoteInit) {
    this.s = resolveS3Settings(init.url, init.options, init.env);
    this.url = this.s.url;
    this.defaultJobs = this.s.jobs;
    this.retry = { ...DEFAULT_RETRY, ...init.retry };
    this.partConcurrency = Math.max(1, init.partConcurrency ?? UPLOAD_PARTS_IN_FLIGHT);
    this.budget = init.budget ?? new ByteBudget(largeTransferBudget(totalmem()));
    this.ctx = {
      url: this.s.url,
      bucket: this.s.bucket,
      secrets: this.s.secrets,
      ...(this.s.endpoint === undefined ? {} : { endpoint: this.s.endpoint }),
      ...(init.name === undefined ? {} : { name: init.name }),
    };
    this.client = new S3Client(clientConfig(this.s, init.sdkMaxAttempts ?? 3, this.defaultJobs * this.partConcurrency));
  }

  async exists(key: string): Promise<boolean> {
    return this.run("check", key, undefined, async () => {
      try {
        await this.client.send(new HeadObjectCommand({ ...this.obj(key), ...this.sseC() }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    });
  }

  async size(key: string): Promise<number | undefined> {
    return this.run("check", key, undefined, async () => {
      try {
        return (await this.client.send(new HeadObjectCommand({ ...this.obj(key), ...this.sseC() }))).ContentLength;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
  }

  async *list(prefix: string): AsyncIterable<string> {
    const base = this.s.prefix === "" ? "" : `${this.s.prefix}/`;
    let token: string | undefined;
    do {
      const page = await this.run("list", undefined, undefined, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.s.bucket,
            Prefix: base + prefix,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        ),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined && o.Key.startsWith(base) && !o.Key.endsWith("/")) yield o.Key.slice(base.length);
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async put(key: string, localPath: string, size: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    // small bodies are read whole below and their length checked there; larger ones are checked first
    if ((size > SMALL_BODY || size >= this.s.multipartThreshold) && (await sizeOf(localPath)) !== size)
      throw new FileChangedError(localPath);
    if (size >= this.s.multipartThreshold) {
      const release = await this.budget.acquire(uploadMemory(this.partConcurrency));
      try {
        return await this.putMultipart(key, localPath, size, signal);
      } finally {
        release();
      }
    }
    await this.run("upload", key, signal, async () => {
      // small objects go as one buffer (no stream machinery per object); larger ones stream
      const body =
        size <= SMALL_BODY
          ? await readWhole(localPath)
          : createReadStream(localPath, { end: size - 1, highWaterMark: STREAM_CHUNK });
      if (Buffer.isBuffer(body) && body.length !== size) throw new FileChangedError(localPath);
      try {
        await this.client.send(
          new PutObjectCommand({ ...this.obj(key), ...this.putParams(), Body: body, ContentLength: size }),
          sendOptions(signal),
        );
      } finally {
        if (!Buffer.isBuffer(body)) body.destroy();
      }
    });
  }

  async get(key: string, destPath: string, signal?: AbortSignal, tap?: DataTap): Promise<void> {
    signal?.throwIfAborted();
    await this.run("download", key, signal, async () => {
      tap?.reset();
      const out = await this.client.send(
        new GetObjectCommand({ ...this.obj(key), ...this.sseC() }),
        sendOptions(signal),
      );
      const body = out.Body as Readable | undefined;
      if (body === undefined) throw new TruncatedBodyError(0, out.ContentLength ?? 0);
      const expected = out.ContentLength;
      try {
        if (expected !== undefined && expected <= SMALL_BODY) {
          // small objects: one buffer and one write, cheaper than a write stream per object
          const chunks: Buffer[] = [];
          let n = 0;
          for await (const c of body) {
            chunks.push(c as Buffer);
            n += (c as Buffer).length;
          }
          if (n !== expected) throw new TruncatedBodyError(n, expected);
          const buf = Buffer.concat(chunks, n);
          tap?.update(buf);
          await writeFile(destPath, buf);
          return;
        }
        if (expected !== undefined && expected >= this.s.multipartThreshold && expected > this.s.multipartChunksize) {
          await this.getRanged(key, expected, out.ETag, body, destPath, tap, signal);
          return;
        }
        const feed = tap ? [new Transform({ transform: (c: Buffer, _e, cb) => (tap.update(c), cb(null, c)) })] : [];
        await pipeline([body, ...feed, createWriteStream(destPath)], signal === undefined ? {} : { signal });
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === "ENOSPC" || code === "EDQUOT") throw new DiskFullError(destPath, err);
        throw err;
      }
      const received = await sizeOf(destPath);
      if (expected !== undefined && received !== expected) throw new TruncatedBodyError(received, expected);
    });
  }

  async delete(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const out = await this.run("delete", undefined, undefined, () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.s.bucket,
            Delete: { Quiet: true, Objects: batch.map((k) => ({ Key: this.fullKey(k) })) },
          }),
        ),
      );
      const failure = (out.Errors ?? []).find((e) => e.Code !== "NoSuchKey");
      if (failure !== undefined) {
        const err = Object.assign(new Error(failure.Message ?? "delete failed"), {
          name: failure.Code ?? "DeleteFailed",
        });
        throw mapS3Error(err, "delete", this.relKey(failure.Key), this.ctx);
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async putMultipart(key: string, localPath: string, size: number, signal?: AbortSignal): Promise<void> {
    const parts = planParts(size, choosePartSize(size, this.s.multipartChunksize));
    const created = await this.run("upload", key, signal, () =>
      this.client.send(new CreateMultipartUploadCommand({ ...this.obj(key), ...this.putParams() }), {
        abortSignal: signal,
      }),
    );
    const uploadId = created.UploadId;
    if (uploadId === undefined) throw mapS3Error(new Error("the server returned no UploadId"), "upload", key, this.ctx);
    const inner = new AbortController();
    const onOuterAbort = (): void => inner.abort(signal?.reason);
    signal?.addEventListener("abort", onOuterAbort, { once: true });
    const etags = new Map<number, string | undefined>();
    try {
      await runPool(
        parts.length,
        this.partConcurrency,
        async (i) => {
          const p = parts[i]!;
          const out = await this.run("upload", key, inner.signal, async () => {
            const body = createReadStream(localPath, { start: p.start, end: p.end, highWaterMark: STREAM_CHUNK });
            try {
              return await this.client.send(
                new UploadPartCommand({
                  ...this.obj(key),
                  ...this.sseC(),
                  UploadId: uploadId,
                  PartNumber: p.partNumber,
                  Body: body,
                  ContentLength: p.length,
                }),
                { abortSignal: inner.signal },
              );
            } finally {
              body.destroy();
            }
          });
          etags.set(p.partNumber, out.ETag);
        },
        () => inner.abort(),
      );
      const Parts = parts.map((p) => ({ PartNumber: p.partNumber, ETag: etags.get(p.partNumber) }));
      await this.run("upload", key, signal, async () => {
        try {
          await this.client.send(
            new CompleteMultipartUploadCommand({ ...this.obj(key), UploadId: uploadId, MultipartUpload: { Parts } }),
            { abortSignal: signal },
          );
        } catch (err) {
          // A retried Complete whose first try succeeded (response lost) answers NoSuchUpload: check the object.
          if ((err as { name?: string }).name === "NoSuchUpload" && (await this.sizeOnRemote(key)) === size) return;
          throw err;
        }
      });
    } catch (err) {
      await this.client
        .send(new AbortMultipartUploadCommand({ ...this.obj(key), UploadId: uploadId }))
        .catch(() => undefined); // best effort; the bucket's lifecycle rules clean up what this misses
      throw err;
    } finally {
      signal?.removeEventListener("abort", onOuterAbort);
    }
  }

  /**
   * A large object: the rest in parallel ranges of the same version (If-Match), like a multipart upload. Its parts
   * in flight are held in memory, so they are reserved from the budget first; while it is taken, the first response
   * is dropped rather than left idle on its connection (the wait may outlast the read timeout), and its first part
   * then comes by range like the others.
   */
  private async getRanged(
    key: string,
    total: number,
    etag: string | undefined,
    body: Readable,
    destPath: string,
    tap: DataTap | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const partSize = choosePartSize(total, this.s.multipartChunksize);
    const parts = Math.min(this.partConcurrency, downloadParts(partSize, this.budget.capacity));
    let release = this.budget.tryAcquire(parts * partSize);
    let first: Readable | undefined = body;
    if (release === undefined) {
      body.destroy();
      first = undefined;
      release = await this.budget.acquire(parts * partSize);
    }
    try {
      signal?.throwIfAborted();
      await rangedGet({
        total,
        partSize,
        concurrency: parts,
        ...(first === undefined ? {} : { first }),
        fetch: async (start, end, partSignal) => {
          const part = await this.client.send(
            new GetObjectCommand({
              ...this.obj(key),
              ...this.sseC(),
              Range: `bytes=${start}-${end}`,
              ...(etag === undefined ? {} : { IfMatch: etag }),
            }),
            { abortSignal: partSignal },
          );
          if (part.Body === undefined) throw new TruncatedBodyError(0, end - start + 1);
          return part.Body as Readable;
        },
        destPath,
        ...(tap === undefined ? {} : { tap }),
        ...(signal === undefined ? {} : { signal }),
      });
    } finally {
      release();
    }
  }

  /** Size of the object, or undefined when it cannot be seen (the caller then reports its own error). */
  private async sizeOnRemote(key: string): Promise<number | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ ...this.obj(key), ...this.sseC() }))).ContentLength;
    } catch {
      return undefined; // any failure (404 included) means "not confirmed"
    }
  }

  /** Retries transient failures, then maps what is left to a RemoteError. Aborts pass through unchanged. */
  private async run<T>(
    action: string,
    key: string | undefined,
    signal: AbortSignal | undefined,
    fn: (attempt: number) => Promise<T>,
  ): Promise<T> {
    try {
      return await withRetry(fn, {
        ...this.retry,
        isRetryable: isRetryableS3Error,
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      if (isAppError(err)) throw err;
      throw mapS3Error(err, action, key, this.ctx);
    }
  }

  private fullKey(key: string): string {
    return this.s.prefix === "" ? key : `${this.s.prefix}/${key}`;
  }

  private relKey(full: string | undefined): string | undefined {
    if (full === undefined) return undefined;
    return this.s.prefix !== "" && full.startsWith(`${this.s.prefix}/`) ? full.slice(this.s.prefix.length + 1) : full;
  }

  private obj(key: string): { Bucket: string; Key: string } {
    return { Bucket: this.s.bucket, Key: this.fullKey(key) };
  }

  private sseC(): { SSECustomerAlgorithm?: string; SSECustomerKey?: string } {
    return this.s.sseCustomer === undefined
      ? {}
      : { SSECustomerAlgorithm: this.s.sseCustomer.algorithm, SSECustomerKey: this.s.sseCustomer.key };
  }

  private putParams(): Partial<PutObjectCommandInput> {
    return { ...(this.s.putParams as Partial<PutObjectCommandInput>), ...this.sseC() };
  }
}

/**
 * Per-request options for client.send: none without a signal, so the client's cached middleware chain is used
 * (cacheMiddleware only applies to option-less calls; building the chain per request costs ~15% of the CPU).
 */
const sendOptions = (signal: AbortSignal | undefined): { abortSignal: AbortSignal } | undefined =>
  signal === undefined ? undefined : { abortSignal: signal };

function clientConfig(s: S3Settings, maxAttempts: number, maxSockets: number): S3ClientConfig {
  const tls: { rejectUnauthorized: boolean; ca?: Buffer } = { rejectUnauthorized: s.sslVerify !== false };
  if (typeof s.sslVerify === "string") tls.ca = readCaBundle(s.sslVerify);
  const config: S3ClientConfig & Record<string, unknown> = {
    region: s.region,
    followRegionRedirects: true,
    maxAttempts,
    logger: SILENT_LOGGER,
    cacheMiddleware: true, // resolve the middleware chain once per command type, not per request
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets, ...tls }),
      connectionTimeout: s.connectTimeoutMs,
      socketTimeout: s.readTimeoutMs,
    }),
  };
  if (s.endpoint !== undefined) {
    config.endpoint = s.endpoint;
    config.forcePathStyle = true;
    // Custom servers (Ceph RGW, Swift, older MinIO) reject the SDK's default aws-chunked + CRC32 trailer uploads.
    config.requestChecksumCalculation = "WHEN_REQUIRED";
    config.responseChecksumValidation = "WHEN_REQUIRED";
  }
  const c = s.credentials;
  if (c.kind === "static") {
    config.credentials = {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
    };
  } else if (c.kind === "anonymous") {
    config.credentials = async () => ({ accessKeyId: "", secretAccessKey: "" });
    config.signer = { sign: async (request: unknown) => request } as unknown as S3ClientConfig["signer"];
  } else {
    // The default provider chain receives the whole client config as its init: profile, filepath and
    // configFilepath select the profile and the shared credentials/config files (DVC's profile,
    // credentialpath and configpath) without touching process.env.
    if (c.profile !== undefined) config.profile = c.profile;
    if (c.filepath !== undefined) config.filepath = c.filepath;
    if (c.configFilepath !== undefined) config.configFilepath = c.configFilepath;
  }
  return config;
}

function readCaBundle(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`cannot read the CA bundle '${path}' given as 'ssl_verify'`, {
      hint: 'set "ssl_verify" to true, false or the path of a PEM file',
      details: { path },
      cause: err,
    });
  }
}

async function readWhole(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === "ENOENT") throw new PathNotFoundError(path);
    throw err;
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as { code?: unknown }).code === "ENOENT") throw new PathNotFoundError(path);
    throw err;
  }
}

function isAppError(err: unknown): err is AppError {
  return (
    err instanceof Error &&
    typeof (err as { exitCode?: unknown }).exitCode === "number" &&
    typeof (err as { code?: unknown }).code === "string"
  );
}
