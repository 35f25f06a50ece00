// The S3 test server (Ceph RGW on loopback, started by scripts/s3/rgw-start.sh) as seen by the tests.
//
//   DVX_TEST_S3_ENDPOINT    default http://127.0.0.1:7480 (must be loopback unless DVX_TEST_S3_ALLOW_NON_LOOPBACK=1)
//   DVX_TEST_S3_ACCESS_KEY  default testaccesskey
//   DVX_TEST_S3_SECRET_KEY  default testsecretkey
//   DVX_TEST_S3=required    a missing server fails the S3 suites instead of skipping them (CI)
//
// Tests may use the SDK directly for fixtures (buckets, raw checks); src/ code goes through S3Remote only.

import { randomBytes } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"; // keep test output clean on Node 20

export interface S3TestConfig {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  required: boolean;
}

export function s3TestConfig(): S3TestConfig {
  const endpoint = process.env.DVX_TEST_S3_ENDPOINT ?? "http://127.0.0.1:7480";
  const host = new URL(endpoint).hostname;
  const loopback = host === "localhost" || host === "[::1]" || host === "::1" || /^127\./.test(host);
  if (!loopback && process.env.DVX_TEST_S3_ALLOW_NON_LOOPBACK !== "1") {
    throw new Error(
      `DVX_TEST_S3_ENDPOINT=${endpoint} is not a loopback address; tests never leave loopback (set DVX_TEST_S3_ALLOW_NON_LOOPBACK=1 to override)`,
    );
  }
  return {
    endpoint,
    accessKey: process.env.DVX_TEST_S3_ACCESS_KEY ?? "testaccesskey",
    secretKey: process.env.DVX_TEST_S3_SECRET_KEY ?? "testsecretkey",
    required: process.env.DVX_TEST_S3 === "required",
  };
}

/** True when the endpoint answers HTTP at all (any status). */
export async function s3Available(cfg: S3TestConfig = s3TestConfig()): Promise<boolean> {
  try {
    await fetch(cfg.endpoint, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false; // ECONNREFUSED / timeout: no server
  }
}

/**
 * Decides once per test file whether the S3 suites run. Returns true to skip (after printing why); throws
 * when DVX_TEST_S3=required and the server is missing.
 */
export async function skipS3(suite: string): Promise<boolean> {
  const cfg = s3TestConfig();
  if (await s3Available(cfg)) return false;
  const why = `no S3 test server at ${cfg.endpoint} (start one with "scripts/s3/rgw-stop.sh; scripts/s3/rgw-start.sh")`;
  if (cfg.required) throw new Error(`${suite}: DVX_TEST_S3=required but ${why}`);
  console.warn(`[${suite}] skipping the S3 suites: ${why}`);
  return true;
}

/** Options for S3Remote pointing at the test server (DVC option names). */
export function s3Options(
  cfg: S3TestConfig = s3TestConfig(),
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    endpointurl: cfg.endpoint,
    access_key_id: cfg.accessKey,
    secret_access_key: cfg.secretKey,
    region: "us-east-1",
    ...extra,
  };
}

export function rawClient(cfg: S3TestConfig = s3TestConfig(), endpoint = cfg.endpoint): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: cfg.accessKey, secretAccessKey: cfg.secretKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export interface TestBucket {
  name: string;
  client: S3Client;
  /** Deletes every object, aborts open multipart uploads, then the bucket itself. */
  remove(): Promise<void>;
}

/** Creates a fresh bucket named "<label>-<random>" (S3 naming rules: lowercase, digits, dashes). */
export async function makeBucket(label: string, cfg: S3TestConfig = s3TestConfig()): Promise<TestBucket> {
  const name = `${label
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 40)}-${randomBytes(4).toString("hex")}`;
  const client = rawClient(cfg);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return { name, client, remove: () => removeBucket(client, name) };
}

async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
    if (keys.length > 0)
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of uploads.Uploads ?? []) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  client.destroy();
}
