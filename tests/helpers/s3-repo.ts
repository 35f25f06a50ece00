// A temp repo whose default remote "s3r" is a prefix of a bucket on the S3 test server, configured through
// the CLI exactly as a user would (url and endpoint in .dvc/config, credentials in .dvc/config.local).
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { md5Hex } from "./store-walk.js";
import { s3TestConfig, type S3TestConfig } from "./s3-server.js";
import { makeRepo, type TmpRepo } from "./tmp-repo.js";

export interface S3RepoOptions {
  bucket: string;
  prefix: string;
  files?: Record<string, string | Buffer>;
  /** Endpoint to configure (default: the test server). */
  endpoint?: string;
  cfg?: S3TestConfig;
}

/** Runs a CLI command that must succeed. */
export async function must(r: TmpRepo, ...argv: string[]): Promise<void> {
  const res = await r.run(...argv);
  expect(res.code, `dvx ${argv.join(" ")}: ${res.stderr}`).toBe(0);
}

export async function makeS3Repo(o: S3RepoOptions): Promise<TmpRepo> {
  const cfg = o.cfg ?? s3TestConfig();
  const r = await makeRepo(o.files ? { files: o.files } : {});
  await must(r, "remote", "add", "-d", "s3r", `s3://${o.bucket}/${o.prefix}`);
  await must(r, "remote", "modify", "s3r", "endpointurl", o.endpoint ?? cfg.endpoint);
  await must(r, "remote", "modify", "--local", "s3r", "access_key_id", cfg.accessKey);
  await must(r, "remote", "modify", "--local", "s3r", "secret_access_key", cfg.secretKey);
  return r;
}

/** Every key under `prefix/` in the bucket, relative to the prefix, sorted. */
export async function bucketKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: `${prefix}/`,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(prefix.length + 1));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

export async function getObject(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** MD5 of an object read straight from the bucket. */
export async function objectMd5(client: S3Client, bucket: string, key: string): Promise<string> {
  return md5Hex(await getObject(client, bucket, key));
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export const uniquePrefix = (label: string): string => `${label}-${randomBytes(3).toString("hex")}`;
