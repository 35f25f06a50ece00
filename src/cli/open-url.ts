// Opens a file or URL in the user's browser, when there is one: $BROWSER (as other CLIs honour it; "%s" stands
// for the URL), `open` on macOS, `start` on Windows, `xdg-open` on Linux with a display. Never waits for it.
import { spawn } from "node:child_process";

/** The command that opens `url`, or null when there is no browser to open it in. */
export function browserCommand(
  url: string,
  env: Record<string, string | undefined>,
  platform: string,
): string[] | null {
  const browser = env.BROWSER?.split(":")[0]?.trim();
  if (browser) {
    const words = browser.split(/\s+/);
    return words.some((w) => w.includes("%s")) ? words.map((w) => w.replace("%s", url)) : [...words, url];
  }
  if (platform === "darwin") return ["open", url];
  if (platform === "win32") return ["cmd", "/c", "start", '""', url];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null; // a terminal without a desktop: nothing to open it in
  return ["xdg-open", url];
}

/** True when a browser was started (false: none found or it could not be run). */
export function openUrl(url: string, env: Record<string, string | undefined>): Promise<boolean> {
  const argv = browserCommand(url, env, process.platform);
  if (!argv) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: "ignore", env: process.env });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
