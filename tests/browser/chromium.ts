// Runs Debian's headless Chromium on a local file with the network really off (see README.md in this folder).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const CHROMIUM = process.env.DVX_CHROMIUM ?? "/usr/bin/chromium";

/** Flags for every run: headless, no sandbox (root), nothing phoning home. */
export const BASE_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const isRoot = process.getuid?.() === 0;
const hasUnshare = ((): boolean => {
  try {
    execFileSync("unshare", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false; // ENOENT: util-linux's unshare is not installed
  }
})();

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

/** How the network is cut: a new, empty network namespace (root), else proxy and DNS pointed at nothing. */
export const isolation = (): "unshare -n" | "proxy flags" => (isRoot && hasUnshare ? "unshare -n" : "proxy flags");

export interface ChromiumRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Opens `file` with `flags` (plus BASE_FLAGS and a fresh profile); returns what Chromium printed. */
export function runChromium(file: string, flags: string[], timeoutMs = 60_000): ChromiumRun {
  const profile = mkdtempSync(join(tmpdir(), "dvx-chromium-profile-"));
  try {
    const args = [...BASE_FLAGS, `--user-data-dir=${profile}`, ...flags, pathToFileURL(file).href];
    const offline =
      isolation() === "unshare -n"
        ? { cmd: "unshare", args: ["-n", CHROMIUM, ...args] }
        : {
            cmd: CHROMIUM,
            args: ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", ...args],
          };
    const r = spawnSync(offline.cmd, offline.args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
    return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", status: r.status };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The text of `<pre id="result">` in a page Chromium dumped (what the page's checking script wrote). */
export function resultOf(dom: string): unknown {
  const m = /<pre id="result">([^<]*)<\/pre>/.exec(dom);
  if (!m) throw new Error(`no result in the page:\n${dom.slice(0, 2000)}`);
  const text = m[1]!
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return JSON.parse(text) as unknown;
}
