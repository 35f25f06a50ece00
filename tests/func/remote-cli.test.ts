// `dvx remote add|modify|list|remove|default|rename` through the CLI (in-process): the bytes of .dvc/config,
// .dvc/config.local and .dvc/dvx.config, warnings for secrets, --json output, exit codes.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliRun } from "../helpers/run-cli.js";
import { makeRepo, tmpDir, type TmpRepo } from "../helpers/tmp-repo.js";
import { runCli } from "../helpers/run-cli.js";

interface ErrorJson {
  code: string;
  message: string;
  hint: string | null;
  details: Record<string, unknown>;
}
interface ListJson {
  remotes: Array<{ name: string; url: string; isDefault: boolean; supported: boolean }>;
  default?: string;
  warnings: string[];
}

function jsonError(res: CliRun): ErrorJson {
  expect(res.stdout).toBe("");
  return (JSON.parse(res.stderr.trim()) as { error: ErrorJson }).error;
}

async function ok(r: TmpRepo, ...argv: string[]): Promise<CliRun> {
  const res = await r.run(...argv);
  expect(res.code, `dvx ${argv.join(" ")}: ${res.stderr}`).toBe(0);
  return res;
}

const file = (r: TmpRepo, name: string): string | undefined =>
  existsSync(join(r.dir, ".dvc", name)) ? readFileSync(join(r.dir, ".dvc", name), "utf8") : undefined;

const SPEC_CONFIG = `[core]
    remote = myremote
    autostage = true
[cache]
    type = "reflink,hardlink,symlink"
['remote "myremote"']
    url = /data/remote1
['remote "s3r"']
    url = s3://mybucket/dvcstore
    endpointurl = http://localhost:9000
    region = us-east-1
    use_ssl = false
    version_aware = true
`;
const SPEC_LOCAL = `['remote "s3r"']
    access_key_id = AKIAXXX
    secret_access_key = SECRET
`;

async function specRepo(): Promise<TmpRepo> {
  const r = await makeRepo();
  await ok(r, "remote", "add", "-d", "myremote", "/data/remote1");
  await ok(r, "remote", "add", "s3r", "s3://mybucket/dvcstore");
  await ok(r, "remote", "modify", "s3r", "endpointurl", "http://localhost:9000");
  await ok(r, "remote", "modify", "s3r", "region", "us-east-1");
  await ok(r, "remote", "modify", "s3r", "use_ssl", "false");
  await ok(r, "remote", "modify", "s3r", "version_aware", "true");
  await ok(r, "remote", "modify", "--local", "s3r", "access_key_id", "AKIAXXX");
  await ok(r, "remote", "modify", "--local", "s3r", "secret_access_key", "SECRET");
  await ok(r, "config", "cache.type", "reflink,hardlink,symlink");
  await ok(r, "config", "core.autostage", "true");
  return r;
}

describe("dvx remote writes DVC's config bytes", () => {
  it("the docs/formats.md §6.3 command sequence gives the same .dvc/config and .dvc/config.local", async () => {
    const r = await specRepo();
    expect(file(r, "config")).toBe(SPEC_CONFIG);
    expect(file(r, "config.local")).toBe(SPEC_LOCAL);
    expect(file(r, ".gitignore")).toMatch(/^\/config\.local$/m);
    expect(r.git("check-ignore", ".dvc/config.local").trim()).toBe(".dvc/config.local");
  });

  it("a minimal add -d writes exactly the core and remote sections", async () => {
    const r = await makeRepo();
    const res = await ok(r, "remote", "add", "-d", "storage", "s3://bucket/path");
    expect(res.stdout).toBe("");
    expect(file(r, "config")).toBe(`[core]\n    remote = storage\n['remote "storage"']\n    url = s3://bucket/path\n`);
    expect(file(r, "config.local") ?? "").toBe("");
  });

  it("lower-cases names, refuses a duplicate (exit 4) unless -f, and -f replaces the section", async () => {
    const r = await makeRepo();
    await ok(r, "remote", "add", "Store", "/a");
    await ok(r, "remote", "modify", "store", "jobs", "4");
    expect(file(r, "config")).toBe(`['remote "store"']\n    url = /a\n    jobs = 4\n`);
    const dup = await r.run("remote", "add", "STORE", "/b", "--json");
    expect(dup.code).toBe(4);
    expect(jsonError(dup).code).toBe("REMOTE_EXISTS");
    expect(file(r, "config")).toBe(`['remote "store"']\n    url = /a\n    jobs = 4\n`);
    await ok(r, "remote", "add", "-f", "store", "/b");
    expect(file(r, "config")).toBe(`['remote "store"']\n    url = /b\n`);
  });

  it("stores a relative path relative to .dvc/, also when run from a subdirectory", async () => {
    const r = await makeRepo({ files: { "sub/keep": "" } });
    await ok(r, "remote", "add", "rel", "../store");
    await ok(r, "-C", "sub", "remote", "add", "rel2", "../store2");
    await ok(r, "remote", "add", "abs", "/mnt/store");
    expect(file(r, "config")).toBe(
      `['remote "rel"']\n    url = ../../store\n['remote "rel2"']\n    url = ../store2\n['remote "abs"']\n    url = /mnt/store\n`,
    );
    const list = (await ok(r, "remote", "list", "--json")).json<ListJson>();
    const byName = Object.fromEntries(list.remotes.map((x) => [x.name, x.url]));
    expect(byName).toEqual({ rel: join(r.dir, "..", "store"), rel2: join(r.dir, "store2"), abs: "/mnt/store" });
  });

  it("modify -u removes an option; default sets, prints and unsets core.remote", async () => {
    const r = await specRepo();
    await ok(r, "remote", "modify", "-u", "s3r", "use_ssl");
    await ok(r, "remote", "modify", "-u", "s3r", "version_aware");
    expect(file(r, "config")).toBe(SPEC_CONFIG.replace("    use_ssl = false\n    version_aware = true\n", ""));
    expect((await ok(r, "remote", "default")).stdout.trim()).toBe("myremote");
    await ok(r, "remote", "default", "s3r");
    expect(file(r, "config")).toMatch(/^\[core\]\n {4}remote = s3r\n {4}autostage = true\n/);
    expect((await ok(r, "remote", "default", "--json")).json()).toMatchObject({ name: "s3r" });
    await ok(r, "remote", "default", "-u");
    expect(file(r, "config")).toMatch(/^\[core\]\n {4}autostage = true\n\[cache\]/);
    expect((await ok(r, "remote", "default")).stdout.trim()).toBe("");
    const nope = await r.run("remote", "default", "nope", "--json");
    expect(nope.code).toBe(4);
    expect(jsonError(nope).code).toBe("REMOTE_NOT_FOUND");
  });

  it("rename moves the section in config and config.local and follows core.remote", async () => {
    const r = await specRepo();
    const res = await ok(r, "remote", "rename", "s3r", "store", "--json");
    expect(res.json()).toMatchObject({ name: "s3r", newName: "store", changed: true });
    expect(file(r, "config")).toBe(SPEC_CONFIG.replace(`['remote "s3r"']`, `['remote "store"']`));
    expect(file(r, "config.local")).toBe(SPEC_LOCAL.replace(`['remote "s3r"']`, `['remote "store"']`));
    await ok(r, "remote", "rename", "myremote", "primary");
    expect(file(r, "config")).toMatch(/^\[core\]\n {4}remote = primary\n/);
    expect(file(r, "config")).toContain(`['remote "primary"']\n    url = /data/remote1\n`);
    expect(file(r, "config")).not.toContain("myremote");
    const missing = await r.run("remote", "rename", "nope", "other", "--json");
    expect(missing.code).toBe(4);
    expect(jsonError(missing).code).toBe("REMOTE_NOT_FOUND");
  });

  it("remove deletes the section and the default that names it", async () => {
    const r = await specRepo();
    await ok(r, "remote", "remove", "myremote");
    expect(file(r, "config")).toBe(
      SPEC_CONFIG.replace("    remote = myremote\n", "").replace(
        `['remote "myremote"']\n    url = /data/remote1\n`,
        "",
      ),
    );
    const list = (await ok(r, "remote", "list", "--json")).json<ListJson>();
    expect(list.remotes.map((x) => x.name)).toEqual(["s3r"]);
    expect(list.default).toBeUndefined();
    const again = await r.run("remote", "remove", "myremote", "--json");
    expect(again.code).toBe(4);
    expect(jsonError(again).code).toBe("REMOTE_NOT_FOUND");
  });

  it("multipart_threshold / multipart_chunksize go to .dvc/dvx.config, never into DVC's config", async () => {
    const r = await makeRepo();
    await ok(r, "remote", "add", "-d", "s3r", "s3://b/p");
    const before = file(r, "config");
    await ok(r, "remote", "modify", "s3r", "multipart_threshold", "5MB");
    await ok(r, "remote", "modify", "s3r", "multipart_chunksize", "8MB");
    expect(file(r, "config")).toBe(before);
    expect(file(r, "dvx.config")).toMatch(/multipart_threshold = 5MB/);
    expect(file(r, "dvx.config")).toMatch(/multipart_chunksize = 8MB/);
    const bad = await r.run("remote", "modify", "s3r", "multipart_chunksize", "1MB", "--json"); // S3 parts are >= 5 MiB
    expect(bad.code).toBe(4);
    expect(jsonError(bad).code).toBe("CONFIG");
  });
});

describe("secrets", () => {
  it("--local keeps credentials out of the committed config, without warnings", async () => {
    const r = await makeRepo();
    await ok(r, "remote", "add", "s3r", "s3://b/p");
    const res = await ok(r, "remote", "modify", "--local", "s3r", "secret_access_key", "LocalSecretValue");
    expect(res.stderr).not.toMatch(/warning/i);
    expect(res.stdout + res.stderr).not.toContain("LocalSecretValue");
    expect(file(r, "config")).not.toContain("LocalSecretValue");
    expect(file(r, "config.local")).toContain("    secret_access_key = LocalSecretValue\n");
  });

  it.each(["secret_access_key", "session_token", "access_key_id"])(
    "%s written to the committed config warns, never echoing the value",
    async (opt) => {
      const r = await makeRepo();
      await ok(r, "remote", "add", "s3r", "s3://b/p");
      const value = `TopSecret-${opt}-Value`;
      const human = await ok(r, "remote", "modify", "s3r", opt, value);
      expect(human.stderr).toMatch(/^warning: /m);
      expect(human.stderr).toContain(opt);
      expect(human.stdout + human.stderr).not.toContain(value);
      expect(file(r, "config")).toContain(`    ${opt} = ${value}\n`); // written where asked, as DVC does
      const json = await ok(r, "remote", "modify", "s3r", opt, value, "--json");
      const parsed = json.json<{ warnings: string[] }>();
      expect(parsed.warnings).toHaveLength(1);
      expect(json.stdout + json.stderr).not.toContain(value);
    },
  );

  it("a password in a URL added to the committed config warns and is not echoed", async () => {
    const r = await makeRepo();
    const res = await ok(r, "remote", "add", "h", "https://bob:hunter2pw@example.com/x", "--json");
    expect(res.json<{ warnings: string[] }>().warnings.length).toBeGreaterThan(0);
    expect(res.stdout + res.stderr).not.toContain("hunter2pw");
    const list = await ok(r, "remote", "list");
    expect(list.stdout).not.toContain("hunter2pw");
  });

  it("remote list never prints credentials", async () => {
    const r = await specRepo();
    for (const argv of [
      ["remote", "list"],
      ["remote", "list", "--json"],
    ]) {
      const res = await ok(r, ...argv);
      expect(res.stdout + res.stderr).not.toContain("SECRET");
      expect(res.stdout + res.stderr).not.toContain("AKIAXXX");
    }
  });
});

describe("list output and errors", () => {
  it("remote list --json parses and marks the default; the text form has one line per remote", async () => {
    const r = await specRepo();
    const list = (await ok(r, "remote", "list", "--json")).json<ListJson>();
    expect(list.default).toBe("myremote");
    expect(list.remotes).toEqual([
      { name: "myremote", url: "/data/remote1", isDefault: true, supported: true },
      { name: "s3r", url: "s3://mybucket/dvcstore", isDefault: false, supported: true },
    ]);
    const text = await ok(r, "remote", "list");
    const lines = text.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^myremote\s+\/data\/remote1\b/);
    expect(lines[1]).toMatch(/^s3r\s+s3:\/\/mybucket\/dvcstore\b/);
    // --local only shows that level
    const local = (await ok(r, "remote", "list", "--local", "--json")).json<ListJson>();
    expect(local.remotes.map((x) => x.name)).toEqual(["s3r"]);
  });

  it("every --json answer of the remote commands is one JSON document on stdout", async () => {
    const r = await makeRepo();
    for (const argv of [
      ["remote", "add", "-d", "a", "/x", "--json"],
      ["remote", "modify", "a", "jobs", "3", "--json"],
      ["remote", "list", "--json"],
      ["remote", "default", "--json"],
      ["remote", "rename", "a", "b", "--json"],
      ["remote", "remove", "b", "--json"],
    ]) {
      const res = await ok(r, ...argv);
      expect(() => JSON.parse(res.stdout), argv.join(" ")).not.toThrow();
    }
    expect(file(r, "config")).toBe("");
  });

  it("invalid options and values are config errors (exit 4) that leave the file alone", async () => {
    const r = await specRepo();
    for (const argv of [
      ["remote", "modify", "myremote", "region", "eu-west-1"], // s3 option on a local remote
      ["remote", "modify", "s3r", "colour", "blue"],
      ["remote", "modify", "s3r", "use_ssl", "maybe"],
      ["remote", "modify", "s3r", "jobs", "0"],
      ["remote", "modify", "nope", "jobs", "2"],
      ["remote", "add", "bad", "s3://"],
    ]) {
      const res = await r.run(...argv, "--json");
      expect(res.code, argv.join(" ")).toBe(4);
      expect(["CONFIG", "REMOTE_NOT_FOUND"]).toContain(jsonError(res).code);
    }
    expect(file(r, "config")).toBe(SPEC_CONFIG);
    expect(file(r, "config.local")).toBe(SPEC_LOCAL);
  });

  it("missing arguments are usage errors (exit 2)", async () => {
    const r = await makeRepo();
    expect((await r.run("remote", "add", "onlyname")).code).toBe(2);
    expect((await r.run("remote", "modify", "x")).code).toBe(2);
    expect((await r.run("remote", "rename", "x")).code).toBe(2);
  });

  it("outside a dvx repository the remote commands exit 3", async () => {
    const dir = tmpDir("dvx-norepo-");
    mkdirSync(join(dir, "x"));
    const res = await runCli(join(dir, "x"), ["remote", "list", "--json"]);
    expect(res.code).toBe(3);
    expect((await runCli(dir, ["remote", "add", "a", "/x"])).code).toBe(3);
  });
});

describe("unsupported schemes", () => {
  it("gs:// is accepted by remote add (with a warning) but push, pull and status -c to it exit 4", async () => {
    const r = await makeRepo({ files: { "a.txt": "a\n" } });
    await ok(r, "add", "a.txt");
    const add = await ok(r, "remote", "add", "-d", "g", "gs://b");
    expect(add.stderr).toMatch(/^warning: /m);
    expect(file(r, "config")).toBe(`[core]\n    remote = g\n['remote "g"']\n    url = gs://b\n`);
    const list = (await ok(r, "remote", "list", "--json")).json<ListJson>();
    expect(list.remotes).toEqual([{ name: "g", url: "gs://b", isDefault: true, supported: false }]);
    for (const argv of [["push"], ["pull"], ["fetch"], ["status", "-c"], ["push", "-r", "g"]]) {
      const res = await r.run(...argv, "--json");
      expect(res.code, argv.join(" ")).toBe(4);
      expect(["CONFIG", "REMOTE_UNSUPPORTED"]).toContain(jsonError(res).code);
      expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock")), `lock left behind by ${argv.join(" ")}`).toBe(false);
    }
  });
});
