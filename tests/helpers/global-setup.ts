// Vitest global setup: make sure the S3 test gateway (Ceph RGW on 127.0.0.1) is up for the S3 suites.
// Starts it with scripts/s3/rgw-start.sh when radosgw is installed and nothing answers yet, and stops
// it afterwards if we started it. Without radosgw the S3 suites skip (or fail with DVX_TEST_S3=required).
import { execFileSync, spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
const ENDPOINT = process.env.DVX_TEST_S3_ENDPOINT ?? "http://127.0.0.1:7480";

async function answers(): Promise<boolean> {
  try {
    await fetch(ENDPOINT, { signal: AbortSignal.timeout(1500) });
    return true;
  } catch {
    return false; // connection refused / timeout: no gateway yet
  }
}

let started = false;

export async function setup(): Promise<void> {
  if (process.env.DVX_TEST_S3 === "skip" || (await answers())) return;
  const has = spawnSync("sh", ["-c", "command -v radosgw && command -v ceph-mon"], { encoding: "utf8" });
  if (has.status !== 0) {
    console.warn(
      "S3 gateway not installed: S3 suites will skip (install: apt-get install ceph-mon ceph-osd radosgw curl)",
    );
    return;
  }
  execFileSync(resolve(ROOT, "scripts/s3/rgw-stop.sh"), { stdio: "ignore" });
  execFileSync(resolve(ROOT, "scripts/s3/rgw-start.sh"), { stdio: ["ignore", "ignore", "inherit"], timeout: 180_000 });
  started = true;
}

export async function teardown(): Promise<void> {
  if (started) execFileSync(resolve(ROOT, "scripts/s3/rgw-stop.sh"), { stdio: "ignore" });
}
