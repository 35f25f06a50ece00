import { mkdir, mkdtemp, readFile, readdir, rm, stat, chmod, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { configOp } from "../../src/core/ops/config-set.js";
import {
  remoteAdd,
  remoteDefault,
  remoteList,
  remoteModify,
  remoteRemove,
  remoteRename,
} from "../../src/core/ops/remote-config.js";
import type { AppError } from "../../src/errors.js";

let base: string;
let root: string;
let dotDir: string;
let env: Record<string, string | undefined>;

const GITIGNORE = "/config.local\n/tmp\n/cache\n";

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dvx-remote-"));
  root = join(base, "repo");
  dotDir = join(root, ".dvc");
  await mkdir(dotDir, { recursive: true });
  await writeFile(join(dotDir, "config"), "");
  await writeFile(join(dotDir, ".gitignore"), GITIGNORE);
  env = {
    HOME: join(base, "home"),
    DVC_SYSTEM_CONFIG_DIR: join(base, "system"),
    DVC_GLOBAL_CONFIG_DIR: join(base, "global"),
  };
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const read = (name: string) => readFile(join(dotDir, name), "utf8");
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error("expected the operation to fail");
}

describe("the §6.3 command sequence", () => {
  it("writes .dvc/config and .dvc/config.local byte for byte like DVC", async () => {
    const o = { env, cwd: root };
    await remoteAdd(dotDir, { ...o, name: "myremote", url: "/data/remote1", default: true });
    await remoteAdd(dotDir, { ...o, name: "s3r", url: "s3://mybucket/dvcstore" });
    await remoteModify(dotDir, { ...o, name: "s3r", option: "endpointurl", value: "http://localhost:9000" });
    await remoteModify(dotDir, { ...o, name: "s3r", option: "region", value: "us-east-1" });
    await remoteModify(dotDir, { ...o, name: "s3r", option: "use_ssl", value: "false" });
    await remoteModify(dotDir, { ...o, name: "s3r", option: "version_aware", value: "true" });
    await remoteModify(dotDir, { ...o, level: "local", name: "s3r", option: "access_key_id", value: "AKIAXXX" });
    await remoteModify(dotDir, { ...o, level: "local", name: "s3r", option: "secret_access_key", value: "SECRET" });
    await configOp(dotDir, { env, key: "cache.type", value: "reflink,hardlink,symlink" });
    await configOp(dotDir, { env, key: "core.autostage", value: "true" });
    expect(await read("config")).toBe(
      `[core]\n    remote = myremote\n    autostage = true\n[cache]\n    type = "reflink,hardlink,symlink"\n['remote "myremote"']\n    url = /data/remote1\n['remote "s3r"']\n    url = s3://mybucket/dvcstore\n    endpointurl = http://localhost:9000\n    region = us-east-1\n    use_ssl = false\n    version_aware = true\n`,
    );
    expect(await read("config.local")).toBe(
      `['remote "s3r"']\n    access_key_id = AKIAXXX\n    secret_access_key = SECRET\n`,
    );
    expect((await readdir(dotDir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("remoteAdd", () => {
  it("stores a relative path relative to .dvc, as DVC does", async () => {
    const r = await remoteAdd(dotDir, { env, cwd: root, name: "rel", url: "../relstore" });
    expect(r).toMatchObject({
      name: "rel",
      url: "../../relstore",
      supported: true,
      changed: true,
      files: [join(dotDir, "config")],
    });
    expect(await read("config")).toBe(`['remote "rel"']\n    url = ../../relstore\n`);
    await mkdir(join(root, "sub"));
    await remoteAdd(dotDir, { env, cwd: join(root, "sub"), name: "rel2", url: "../store2" });
    expect((await loadConfig({ dotDir, env })).getRemote("rel2").url).toBe(join(root, "store2"));
  });

  it("lower-cases names, refuses duplicates unless forced, and force replaces the section", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "Store", url: "/a" });
    await remoteModify(dotDir, { env, name: "store", option: "jobs", value: "4" });
    const err = await failure(remoteAdd(dotDir, { env, cwd: root, name: "STORE", url: "/b" }));
    expect(err).toMatchObject({ code: "REMOTE_EXISTS", exitCode: 4 });
    await remoteAdd(dotDir, { env, cwd: root, name: "store", url: "/b", force: true });
    expect(await read("config")).toBe(`['remote "store"']\n    url = /b\n`);
  });

  it("sets core.remote at the same level with default, e.g. --local", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "loc", url: "/l", default: true, level: "local" });
    expect(await read("config")).toBe("");
    expect(await read("config.local")).toBe(`[core]\n    remote = loc\n['remote "loc"']\n    url = /l\n`);
  });

  it("rejects an s3 url without a bucket and writes nothing", async () => {
    const err = await failure(remoteAdd(dotDir, { env, cwd: root, name: "s", url: "s3://" }));
    expect(err.code).toBe("CONFIG");
    expect(await read("config")).toBe("");
  });

  it("accepts other schemes but reports them unsupported by dvx", async () => {
    const r = await remoteAdd(dotDir, { env, cwd: root, name: "g", url: "gs://bucket/p" });
    expect(r.supported).toBe(false);
    expect(r.warnings).toEqual([expect.stringContaining("'gs://'")]);
    expect(await read("config")).toBe(`['remote "g"']\n    url = gs://bucket/p\n`);
  });

  it("warns (without the password) when a url with a password goes to the committed config", async () => {
    const r = await remoteAdd(dotDir, { env, cwd: root, name: "h", url: "https://bob:hunter2@example.com/x" });
    expect(r.warnings.some((w) => w.includes("--local"))).toBe(true);
    expect(JSON.stringify(r)).not.toContain("hunter2");
    expect(r.url).toBe("https://bob:***@example.com/x");
    expect((await remoteList(dotDir, { env })).remotes[0]?.url).toBe("https://bob:***@example.com/x");
  });

  it("writes the global level into DVC_GLOBAL_CONFIG_DIR, relative paths against that directory", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "g", url: "../gstore", level: "global" });
    const globalDir = env.DVC_GLOBAL_CONFIG_DIR as string;
    expect(await readFile(join(globalDir, "config"), "utf8")).toBe(`['remote "g"']\n    url = ../gstore\n`);
    expect((await loadConfig({ dotDir, env })).getRemote("g").url).toBe(join(base, "gstore"));
  });
});

describe("remoteModify", () => {
  beforeEach(async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "s3r", url: "s3://b/p" });
    await remoteAdd(dotDir, { env, cwd: root, name: "loc", url: "/l" });
  });

  it("rejects options unknown for the remote's scheme and leaves the file alone", async () => {
    const before = await read("config");
    expect(await failure(remoteModify(dotDir, { env, name: "loc", option: "region", value: "x" }))).toMatchObject({
      code: "CONFIG",
    });
    expect(await failure(remoteModify(dotDir, { env, name: "s3r", option: "colour", value: "x" }))).toMatchObject({
      code: "CONFIG",
    });
    expect(await failure(remoteModify(dotDir, { env, name: "s3r", option: "use_ssl", value: "maybe" }))).toMatchObject({
      code: "CONFIG",
    });
    expect(await read("config")).toBe(before);
  });

  it("throws RemoteNotFoundError for an unknown remote", async () => {
    expect(await failure(remoteModify(dotDir, { env, name: "nope", option: "jobs", value: "2" }))).toMatchObject({
      code: "REMOTE_NOT_FOUND",
    });
  });

  it("warns when a secret goes to the committed config, never including the value", async () => {
    const r = await remoteModify(dotDir, { env, name: "s3r", option: "secret_access_key", value: "TOPSECRET" });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/secret_access_key.*--local/);
    expect(JSON.stringify(r)).not.toContain("TOPSECRET");
    const local = await remoteModify(dotDir, {
      env,
      name: "s3r",
      option: "session_token",
      value: "TOK",
      level: "local",
    });
    expect(local.warnings).toEqual([]);
  });

  it("unsets an option, dropping a partial section that becomes empty", async () => {
    await remoteModify(dotDir, { env, name: "s3r", option: "region", value: "eu", level: "local" });
    const r = await remoteModify(dotDir, { env, name: "s3r", option: "region", unset: true, level: "local" });
    expect(r.changed).toBe(true);
    expect(await read("config.local")).toBe("");
    const again = await remoteModify(dotDir, { env, name: "s3r", option: "region", unset: true, level: "local" });
    expect(again.changed).toBe(false);
  });

  it("re-validates every key when the url changes scheme", async () => {
    await remoteModify(dotDir, { env, name: "s3r", option: "region", value: "eu" });
    const err = await failure(remoteModify(dotDir, { env, name: "s3r", option: "url", value: "/local/dir" }));
    expect(err.details).toMatchObject({ key: "region" });
  });

  it("stores a new relative url relative to .dvc", async () => {
    await remoteModify(dotDir, { env, cwd: root, name: "loc", option: "url", value: "store" });
    expect(await read("config")).toContain("url = ../store\n");
  });

  describe("dvx-only multipart settings", () => {
    it("go to .dvc/dvx.config, never to .dvc/config", async () => {
      const before = await read("config");
      await remoteModify(dotDir, { env, name: "s3r", option: "multipart_threshold", value: "64MB" });
      await remoteModify(dotDir, { env, name: "s3r", option: "multipart_chunksize", value: "8MiB" });
      expect(await read("config")).toBe(before);
      expect(await read("dvx.config")).toBe(
        `['remote "s3r"']\n    multipart_threshold = 64MB\n    multipart_chunksize = 8MiB\n`,
      );
      expect(await read(".gitignore")).toBe(GITIGNORE);
      expect((await loadConfig({ dotDir, env })).getRemote("s3r").dvxOptions).toEqual({
        multipartThreshold: 2 ** 26,
        multipartChunksize: 2 ** 23,
      });
    });

    it("with --local go to dvx.config.local, which gets git-ignored (once, other lines kept)", async () => {
      const r = await remoteModify(dotDir, {
        env,
        name: "s3r",
        option: "multipart_chunksize",
        value: "16MiB",
        level: "local",
      });
      expect(r.gitignoreUpdated).toBe(true);
      expect(await read("dvx.config.local")).toBe(`['remote "s3r"']\n    multipart_chunksize = 16MiB\n`);
      expect(await read(".gitignore")).toBe(`${GITIGNORE}/dvx.config.local\n`);
      await remoteModify(dotDir, { env, name: "s3r", option: "multipart_chunksize", value: "32MiB", level: "local" });
      expect(await read(".gitignore")).toBe(`${GITIGNORE}/dvx.config.local\n`);
    });

    it("are validated, rejected for local remotes and for the global level", async () => {
      expect(
        await failure(remoteModify(dotDir, { env, name: "s3r", option: "multipart_chunksize", value: "1MB" })),
      ).toMatchObject({ code: "CONFIG" });
      expect(
        await failure(remoteModify(dotDir, { env, name: "loc", option: "multipart_threshold", value: "8MB" })),
      ).toMatchObject({ code: "CONFIG" });
      expect(
        await failure(
          remoteModify(dotDir, { env, name: "s3r", option: "multipart_threshold", value: "8MB", level: "global" }),
        ),
      ).toMatchObject({ code: "USAGE" });
      expect(await exists(join(dotDir, "dvx.config"))).toBe(false);
    });
  });
});

describe("remoteList", () => {
  it("lists merged remotes with resolved urls and the default", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "a", url: "../astore", default: true });
    await remoteAdd(dotDir, { env, cwd: root, name: "b", url: "s3://b", level: "local" });
    const r = await remoteList(dotDir, { env });
    expect(r.default).toBe("a");
    expect(r.remotes).toEqual([
      { name: "a", url: join(base, "astore"), isDefault: true, supported: true },
      { name: "b", url: "s3://b", isDefault: false, supported: true },
    ]);
    expect((await remoteList(dotDir, { env, level: "local" })).remotes.map((x) => x.name)).toEqual(["b"]);
  });
});

describe("remoteRemove", () => {
  it("removes the section, core.remote at that level and above, and leftover partial sections", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "s3r", url: "s3://b", default: true });
    await remoteAdd(dotDir, { env, cwd: root, name: "keep", url: "/k" });
    await remoteDefault(dotDir, { env, name: "s3r", level: "local" });
    await remoteModify(dotDir, { env, name: "s3r", option: "access_key_id", value: "A", level: "local" });
    await remoteModify(dotDir, { env, name: "s3r", option: "multipart_threshold", value: "1GB" });
    const r = await remoteRemove(dotDir, { env, name: "S3R" });
    expect(r.changed).toBe(true);
    expect(await read("config")).toBe(`['remote "keep"']\n    url = /k\n`);
    expect(await read("config.local")).toBe("");
    expect(await read("dvx.config")).toBe("");
    expect((await loadConfig({ dotDir, env })).core.remote).toBeUndefined();
  });

  it("throws RemoteNotFoundError when the level has no such remote", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "x", url: "/x", level: "local" });
    expect(await failure(remoteRemove(dotDir, { env, name: "x" }))).toMatchObject({ code: "REMOTE_NOT_FOUND" });
  });
});

describe("remoteDefault", () => {
  it("gets, sets and unsets core.remote", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "a", url: "/a" });
    expect((await remoteDefault(dotDir, { env })).name).toBeUndefined();
    expect(await remoteDefault(dotDir, { env, name: "A" })).toMatchObject({ name: "a", changed: true });
    expect(await read("config")).toBe(`[core]\n    remote = a\n['remote "a"']\n    url = /a\n`);
    expect((await remoteDefault(dotDir, { env })).name).toBe("a");
    expect((await remoteDefault(dotDir, { env, name: "a" })).changed).toBe(false);
    await remoteDefault(dotDir, { env, unset: true });
    expect(await read("config")).toBe(`['remote "a"']\n    url = /a\n`);
  });

  it("refuses a remote that does not exist, or exists only at a higher level", async () => {
    expect(await failure(remoteDefault(dotDir, { env, name: "nope" }))).toMatchObject({ code: "REMOTE_NOT_FOUND" });
    await remoteAdd(dotDir, { env, cwd: root, name: "loc", url: "/l", level: "local" });
    expect(await failure(remoteDefault(dotDir, { env, name: "loc" }))).toMatchObject({ code: "CONFIG" });
    await remoteDefault(dotDir, { env, name: "loc", level: "local" });
    expect((await loadConfig({ dotDir, env })).getRemote().name).toBe("loc");
  });
});

describe("remoteRename", () => {
  it("renames the section (moving it last), partial sections, dvx settings and core.remote at every level", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "old", url: "s3://b", default: true });
    await remoteAdd(dotDir, { env, cwd: root, name: "other", url: "/o" });
    await remoteDefault(dotDir, { env, name: "old", level: "local" });
    await remoteModify(dotDir, { env, name: "old", option: "access_key_id", value: "A", level: "local" });
    await remoteModify(dotDir, { env, name: "old", option: "multipart_threshold", value: "1GB" });
    await remoteRename(dotDir, { env, name: "old", newName: "New" });
    expect(await read("config")).toBe(
      `[core]\n    remote = new\n['remote "other"']\n    url = /o\n['remote "new"']\n    url = s3://b\n`,
    );
    expect(await read("config.local")).toBe(`[core]\n    remote = new\n['remote "new"']\n    access_key_id = A\n`);
    expect(await read("dvx.config")).toBe(`['remote "new"']\n    multipart_threshold = 1GB\n`);
    const c = await loadConfig({ dotDir, env });
    expect(c.getRemote()).toMatchObject({
      name: "new",
      options: { access_key_id: "A" },
      dvxOptions: { multipartThreshold: 1024 ** 3 },
    });
  });

  it("refuses an existing new name and an unknown old name", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "a", url: "/a" });
    await remoteAdd(dotDir, { env, cwd: root, name: "b", url: "/b", level: "local" });
    expect(await failure(remoteRename(dotDir, { env, name: "a", newName: "b" }))).toMatchObject({
      code: "REMOTE_EXISTS",
    });
    expect(await failure(remoteRename(dotDir, { env, name: "zz", newName: "c" }))).toMatchObject({
      code: "REMOTE_NOT_FOUND",
    });
  });
});

describe("configOp", () => {
  it("gets values from the highest level that has them, or from one level", async () => {
    await configOp(dotDir, { env, key: "core.autostage", value: "true" });
    await configOp(dotDir, { env, key: "core.autostage", value: "false", level: "local" });
    expect(await configOp(dotDir, { env, key: "core.autostage" })).toMatchObject({
      value: "false",
      file: join(dotDir, "config.local"),
      changed: false,
    });
    expect(await configOp(dotDir, { env, key: "core.autostage", level: "repo" })).toMatchObject({ value: "true" });
    expect(await failure(configOp(dotDir, { env, key: "core.remote" }))).toMatchObject({ code: "CONFIG" });
  });

  it("sets remote options through remote.<name>.<option> and stores cache.dir relative to .dvc", async () => {
    await remoteAdd(dotDir, { env, cwd: root, name: "s", url: "s3://b" });
    const r = await configOp(dotDir, { env, key: "remote.s.access_key_id", value: "AKIA" });
    expect(r.warnings).toEqual([expect.stringContaining("--local")]);
    expect(JSON.stringify(r)).not.toContain("AKIA");
    await configOp(dotDir, { env, cwd: root, key: "cache.dir", value: "../cache" });
    expect(await read("config")).toBe(
      `[cache]\n    dir = ../../cache\n['remote "s"']\n    url = s3://b\n    access_key_id = AKIA\n`,
    );
    expect((await loadConfig({ dotDir, env })).cache.dir).toBe(join(base, "cache"));
  });

  it("rejects unknown sections, unknown keys, bad values and unknown remotes without writing", async () => {
    expect(await failure(configOp(dotDir, { env, key: "colours.red", value: "1" }))).toMatchObject({ code: "CONFIG" });
    expect(await failure(configOp(dotDir, { env, key: "core.colour", value: "1" }))).toMatchObject({
      code: "CONFIG",
      details: { key: "colour" },
    });
    expect(await failure(configOp(dotDir, { env, key: "core.checksum_jobs", value: "many" }))).toMatchObject({
      code: "CONFIG",
    });
    expect(await failure(configOp(dotDir, { env, key: "remote.nope.url", value: "/x" }))).toMatchObject({
      code: "REMOTE_NOT_FOUND",
    });
    expect(await failure(configOp(dotDir, { env, key: "noseparator" }))).toMatchObject({ code: "USAGE" });
    expect(await read("config")).toBe("");
  });

  it("unsets, and reports an option that is not set", async () => {
    await configOp(dotDir, { env, key: "core.autostage", value: "true" });
    expect(await configOp(dotDir, { env, key: "core.autostage", unset: true })).toMatchObject({ changed: true });
    expect(await read("config")).toBe("");
    expect(await failure(configOp(dotDir, { env, key: "core.autostage", unset: true }))).toMatchObject({
      code: "CONFIG",
    });
  });
});

describe("file handling", () => {
  it("keeps comments when nothing changes, drops them (like DVC) on a rewrite", async () => {
    const text = `# hand-written\n[core]\n    remote = a # the default\n['remote "a"']\n    url = /a\n`;
    await writeFile(join(dotDir, "config"), text);
    expect((await remoteDefault(dotDir, { env, name: "a" })).changed).toBe(false);
    expect(await read("config")).toBe(text);
    await configOp(dotDir, { env, key: "core.autostage", value: "true" });
    expect(await read("config")).toBe(`[core]\n    remote = a\n    autostage = true\n['remote "a"']\n    url = /a\n`);
  });

  it("keeps the existing section order and adds new plain sections in schema order", async () => {
    await writeFile(join(dotDir, "config"), `['remote "a"']\n    url = /a\n[cache]\n    dir = c\n`);
    await configOp(dotDir, { env, key: "core.remote", value: "a" });
    await configOp(dotDir, { env, key: "state.row_limit", value: "10" });
    expect(await read("config")).toBe(
      `[cache]\n    dir = c\n[core]\n    remote = a\n[state]\n    row_limit = 10\n['remote "a"']\n    url = /a\n`,
    );
  });

  it("normalises relative paths of a rewritten file, like DVC", async () => {
    await writeFile(join(dotDir, "config"), `['remote "a"']\n    url = ./x/../store/\n`);
    await configOp(dotDir, { env, key: "core.remote", value: "a" });
    expect(await read("config")).toBe(`[core]\n    remote = a\n['remote "a"']\n    url = store\n`);
  });

  it("keeps the mode of an existing file (config.local may be private)", async () => {
    await writeFile(join(dotDir, "config.local"), "");
    await chmod(join(dotDir, "config.local"), 0o600);
    await configOp(dotDir, { env, key: "core.autostage", value: "true", level: "local" });
    expect((await stat(join(dotDir, "config.local"))).mode & 0o777).toBe(0o600);
  });

  it("can fix a broken config (validation applies to the result, not to the input)", async () => {
    await writeFile(join(dotDir, "config"), `[core]\n    colour = red\n`);
    await expect(loadConfig({ dotDir, env })).rejects.toMatchObject({ code: "CONFIG" });
    await configOp(dotDir, { env, key: "core.colour", unset: true });
    await expect(loadConfig({ dotDir, env })).resolves.toBeDefined();
  });
});
