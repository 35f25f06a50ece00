// The author and committer of commits dvx writes (experiments): the user's git identity and dates exactly as git
// would use them (GIT_AUTHOR_* / GIT_COMMITTER_* variables, user.name/user.email from every config level), asked
// from `git var`. Without git on PATH, the variables and the repository/global config files are read directly.
import { readFile } from "node:fs/promises";
import { homedir, userInfo } from "node:os";
import path from "node:path";
import { AppError, EXIT } from "../errors.js";
import { gitDirs } from "./git-dirs.js";
import { isMissing } from "./git-util.js";
import { GitNotFoundError, runGit } from "./system-git.js";

export interface GitIdents {
  /** "Name <email> 1700000000 +0100" */
  author: string;
  committer: string;
}

export class GitIdentityError extends AppError {
  constructor(reason: string) {
    super("GIT_IDENTITY", EXIT.config, `git does not know who you are: ${reason}`, {
      hint: 'set it with "git config --global user.name NAME" and "git config --global user.email EMAIL"',
      details: { reason },
    });
  }
}

type Env = Record<string, string | undefined>;

export async function gitIdents(dir: string, env: Env): Promise<GitIdents> {
  try {
    const [a, c] = await Promise.all([
      runGit(dir, ["var", "GIT_AUTHOR_IDENT"], env),
      runGit(dir, ["var", "GIT_COMMITTER_IDENT"], env),
    ]);
    const failed = a.code !== 0 ? a : c.code !== 0 ? c : null;
    if (failed) throw new GitIdentityError(failed.stderr.trim().split("\n").at(-1) ?? `git var exited ${failed.code}`);
    return { author: a.stdout.trim(), committer: c.stdout.trim() };
  } catch (e) {
    if (!(e instanceof GitNotFoundError)) throw e;
    return identsWithoutGit(dir, env);
  }
}

/** `git -c`-free fallback: variables, then [user] of the repository, global and system config files. */
async function identsWithoutGit(dir: string, env: Env): Promise<GitIdents> {
  const dirs = await gitDirs(dir);
  const home = env.HOME ?? homedir();
  const files = [
    ...(env.GIT_CONFIG_NOSYSTEM ? [] : [env.GIT_CONFIG_SYSTEM ?? "/etc/gitconfig"]),
    ...(env.GIT_CONFIG_GLOBAL !== undefined
      ? [env.GIT_CONFIG_GLOBAL]
      : [path.join(env.XDG_CONFIG_HOME ?? path.join(home, ".config"), "git", "config"), path.join(home, ".gitconfig")]),
    path.join(dirs.common, "config"),
  ];
  const cfg = new Map<string, string>();
  for (const f of files) await readConfigFile(f, cfg, 0);
  const when = (v: string | undefined): string => gitDate(v);
  const who = (kind: "AUTHOR" | "COMMITTER"): string => {
    const name =
      env[`GIT_${kind}_NAME`] ?? cfg.get(`${kind.toLowerCase()}.name`) ?? cfg.get("user.name") ?? userInfo().username;
    const email =
      env[`GIT_${kind}_EMAIL`] ?? cfg.get(`${kind.toLowerCase()}.email`) ?? cfg.get("user.email") ?? env.EMAIL;
    if (!email) throw new GitIdentityError("no user.email is configured");
    return `${name} <${email}> ${when(env[`GIT_${kind}_DATE`])}`;
  };
  return { author: who("AUTHOR"), committer: who("COMMITTER") };
}

async function readConfigFile(file: string, out: Map<string, string>, depth: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (isMissing(e)) return;
    throw e;
  }
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const head = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (head) {
      section = line.includes('"') ? "" : head[1]!.toLowerCase();
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!kv || section === "") continue;
    let value = (kv[2] ?? "").replace(/\s+[#;].*$/, "").trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    const key = `${section}.${kv[1]!.toLowerCase()}`;
    if (key === "include.path" && depth < 5) {
      const inc = value.startsWith("~/")
        ? path.join(homedir(), value.slice(2))
        : path.resolve(path.dirname(file), value);
      await readConfigFile(inc, out, depth + 1);
    } else out.set(key, value);
  }
}

/** A git date ("@1700000000 +0100", "1700000000 +0100", ISO 8601) as "<seconds> <±hhmm>"; now when absent. */
export function gitDate(value: string | undefined, now = new Date()): string {
  const zone = (minutesEast: number): string => {
    const sign = minutesEast < 0 ? "-" : "+";
    const m = Math.abs(minutesEast);
    return `${sign}${String(Math.floor(m / 60)).padStart(2, "0")}${String(m % 60).padStart(2, "0")}`;
  };
  const raw = value?.trim();
  const native = raw ? /^@?(\d+)(?:\s+([+-]\d{4}))?$/.exec(raw) : null;
  if (native) return `${native[1]} ${native[2] ?? "+0000"}`;
  const d = raw ? new Date(raw) : now;
  const t = Number.isNaN(d.getTime()) ? now : d;
  const offset = raw ? /([+-])(\d{2}):?(\d{2})$/.exec(raw) : null;
  const east = offset
    ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]))
    : raw && /Z$/i.test(raw)
      ? 0
      : -t.getTimezoneOffset();
  return `${Math.floor(t.getTime() / 1000)} ${zone(east)}`;
}
