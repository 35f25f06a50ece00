import { describe, expect, it } from "vitest";
import { parseIni, quoteIni, serializeIni, type IniDocument } from "../../../src/config/ini.js";
import type { AppError } from "../../../src/errors.js";

// §6.3, produced by real DVC.
export const SPEC_CONFIG = `[core]
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
export const SPEC_CONFIG_LOCAL = `['remote "s3r"']
    access_key_id = AKIAXXX
    secret_access_key = SECRET
`;
// The basic fixture's .dvc/config, written by DVC 3.64.
const FIXTURE_CONFIG = `[core]\n    remote = local\n['remote "local"']\n    url = ../../remote\n`;

function entries(doc: IniDocument, section: string): Record<string, unknown> {
  return Object.fromEntries(doc.sections.find((s) => s.name === section)?.entries ?? []);
}

function syntaxError(text: string): AppError {
  try {
    parseIni(text, "/r/.dvc/config");
  } catch (err) {
    return err as AppError;
  }
  throw new Error("expected a syntax error");
}

describe("parseIni + serializeIni round trip", () => {
  it.each([
    ["spec .dvc/config", SPEC_CONFIG],
    ["spec .dvc/config.local", SPEC_CONFIG_LOCAL],
    ["fixture config", FIXTURE_CONFIG],
    ["dvc init --no-scm", "[core]\n    no_scm = True\n"],
  ])("%s is reproduced byte for byte", (_name, text) => {
    expect(serializeIni(parseIni(text))).toBe(text);
  });

  it("reads the spec example's values", () => {
    const doc = parseIni(SPEC_CONFIG);
    expect(doc.sections.map((s) => s.name)).toEqual(["core", "cache", 'remote "myremote"', 'remote "s3r"']);
    expect(entries(doc, "cache")).toEqual({ type: "reflink,hardlink,symlink" });
    expect(entries(doc, 'remote "s3r"')).toMatchObject({ use_ssl: "false", url: "s3://mybucket/dvcstore" });
  });

  it("serializes an empty document to an empty file", () => {
    expect(serializeIni({ sections: [] })).toBe("");
    expect(serializeIni(parseIni(""))).toBe("");
    expect(serializeIni({ sections: [{ name: "core", entries: [] }] })).toBe("");
  });
});

describe("parseIni", () => {
  it("accepts both remote header forms, whitespace in headers, and lower-cases names and keys", () => {
    const doc = parseIni(`[ CORE ]\n  Remote = MyRemote\n[remote "A"]\nURL = /a\n[  'remote "B"'  ]\n\turl = /b\n`);
    expect(doc.sections.map((s) => s.name)).toEqual(["core", 'remote "a"', 'remote "b"']);
    expect(entries(doc, "core")).toEqual({ remote: "MyRemote" });
    expect(entries(doc, 'remote "a"')).toEqual({ url: "/a" });
    expect(entries(doc, 'remote "b"')).toEqual({ url: "/b" });
  });

  it("drops full-line and trailing comments, keeps # inside quotes", () => {
    const doc = parseIni(
      `# top\n[core] # c\n    # inside\n    remote = r # trailing\n    a = "x # y" # t\n    b = 'p#q'\n    c = # only a comment\n`,
    );
    expect(entries(doc, "core")).toEqual({ remote: "r", a: "x # y", b: "p#q", c: "" });
  });

  it("parses quoted, empty and triple-quoted values", () => {
    const doc = parseIni(
      `[s]\n a = "q,1"\n b = ' lead'\n c =\n d = ""\n e = '''both ' and "'''\n f = """multi\nline 'x' "y"\nend"""\n g = plain text  \n`,
    );
    expect(entries(doc, "s")).toEqual({
      a: "q,1",
      b: " lead",
      c: "",
      d: "",
      e: `both ' and "`,
      f: `multi\nline 'x' "y"\nend`,
      g: "plain text",
    });
  });

  it("turns unquoted commas into lists", () => {
    const doc = parseIni(`[cache]\n type = reflink, copy\n one = reflink,\n none = ,\n mixed = "a,b", c ,'d'\n`);
    expect(entries(doc, "cache")).toEqual({
      type: ["reflink", "copy"],
      one: ["reflink"],
      none: [],
      mixed: ["a,b", "c", "d"],
    });
  });

  it("handles CRLF line endings and a BOM", () => {
    expect(entries(parseIni("\uFEFF[core]\r\n    remote = x\r\n"), "core")).toEqual({ remote: "x" });
  });

  it("keeps the first position and the last content for sections differing only in case", () => {
    const doc = parseIni(`[Core]\n a = 1\n[cache]\n dir = d\n[core]\n b = 2\n`);
    expect(doc.sections.map((s) => s.name)).toEqual(["core", "cache"]);
    expect(entries(doc, "core")).toEqual({ b: "2" });
  });

  it.each([
    ["duplicate key", "[core]\n a = 1\n a = 2\n", 3],
    ["duplicate section", "[core]\n a = 1\n[core]\n b = 2\n", 3],
    ["nested section", "[core]\n [[sub]]\n a = 1\n", 2],
    ["key outside a section", "a = 1\n[core]\n", 1],
    ["not a key or a header", "[core]\n just words\n", 2],
    ["badly quoted value", '[core]\n a = "open\n', 2],
    ["unterminated triple quote", "[core]\n a = '''x\n b = 1\n", 2],
  ])("rejects a %s with CONFIG_SYNTAX and the line number", (_name, text, line) => {
    const err = syntaxError(text);
    expect(err.code).toBe("CONFIG_SYNTAX");
    expect(err.exitCode).toBe(4);
    expect(err.details).toMatchObject({ file: "/r/.dvc/config", line });
  });

  it("never puts the offending line (maybe a secret) into the error", () => {
    const err = syntaxError(`['remote "s"']\n secret_access_key = "TOPSECRET\n`);
    expect(JSON.stringify(err.toJSON())).not.toContain("TOPSECRET");
    expect(err.message).not.toContain("TOPSECRET");
  });
});

describe("quoteIni (configobj _quote)", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ["a#b", '"a#b"'],
    [" x", '" x"'],
    ["x ", '"x "'],
    ["", '""'],
    ['say "hi"', `'say "hi"'`],
    ["it's", "it's"],
    ["'q'", `"'q'"`],
    [`both ' and "`, `'''both ' and "'''`],
    [`has """ and '`, `"""has """ and '"""`],
    ["two\nlines", "'''two\nlines'''"],
    ["http://localhost:9000", "http://localhost:9000"],
  ])("%j is written as %s", (value, expected) => {
    expect(quoteIni(value)).toBe(expected);
  });

  it("writes lists like configobj", () => {
    expect(quoteIni(["reflink", "copy"])).toBe("reflink, copy");
    expect(quoteIni(["reflink"])).toBe("reflink,");
    expect(quoteIni([])).toBe(",");
    expect(quoteIni(["a,b", "c"])).toBe('"a,b", c');
  });

  it.each([["x,y"], ["  padded  "], ["#hash"], [`it's "q"`], ["multi\nline 'a'"], ["a # b"], ["'q'"], ['"dq"']])(
    "round-trips %j through a file",
    (value) => {
      const text = serializeIni({ sections: [{ name: "s", entries: [["k", value]] }] });
      expect(entries(parseIni(text), "s")).toEqual({ k: value });
    },
  );

  it("refuses values configobj cannot quote, naming the key but not the value", () => {
    expect(() => serializeIni({ sections: [{ name: "s", entries: [["k", `a''' and """b`]] }] })).toThrow(/'k'/);
    expect(() => serializeIni({ sections: [{ name: "s", entries: [["k", `a''' and """b`]] }] })).not.toThrow(
      /and """b/,
    );
  });
});

describe("serializeIni layout", () => {
  it("writes plain sections first, then remote, machine and db sections; drops empty ones; drops comments", () => {
    const doc = parseIni(
      `# a comment\n['remote "r"']\n url = /r\n[db "d"]\n url = x\n[core]\n remote = r # why\n[state]\n[machine "m"]\n cloud = aws\n[cache]\n dir = c\n`,
    );
    expect(serializeIni(doc)).toBe(
      `[core]\n    remote = r\n[cache]\n    dir = c\n['remote "r"']\n    url = /r\n['machine "m"']\n    cloud = aws\n['db "d"']\n    url = x\n`,
    );
  });
});
