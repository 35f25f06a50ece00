import { describe, expect, it } from "vitest";
import { buildTree, parseTree, serializeTree } from "../../../src/odb/tree.js";

describe(".dir manifests (docs/formats.md §5, §14.2)", () => {
  it("hashes a flat directory like DVC", () => {
    const t = buildTree([
      { relpath: "b.txt", md5: "3b5d5c3712955042212316173ccf37be", size: 2 },
      { relpath: "a.txt", md5: "60b725f10c9c85c70d97880dfe8191b3", size: 2 },
    ]);
    expect(t.bytes.toString()).toBe(
      '[{"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "a.txt"}, {"md5": "3b5d5c3712955042212316173ccf37be", "relpath": "b.txt"}]',
    );
    expect(t.bytes.length).toBe(130);
    expect(t.oid).toBe("6ea46d53348e675e87743182f72de908.dir");
    expect([t.size, t.nfiles]).toEqual([4, 2]);
  });

  it("hashes nested and empty directories", () => {
    const nested = buildTree([
      { relpath: "a.txt", md5: "60b725f10c9c85c70d97880dfe8191b3" },
      { relpath: "sub/b.txt", md5: "3b5d5c3712955042212316173ccf37be" },
    ]);
    expect(nested.oid).toBe("849835d274483dc683eb416d6e4f887d.dir");
    expect(nested.bytes.length).toBe(134);
    expect(buildTree([]).oid).toBe("d751713988987e9331980363e24189ce.dir");
  });

  it("sorts by code point and escapes non-ASCII like Python", () => {
    const t = buildTree([
      { relpath: "é.txt", md5: "e85dde330c34efb0e526ee3082e4353b" },
      { relpath: "a b.txt", md5: "b938b801a0bfbd5ca4825715039e7574" },
      { relpath: "Z.txt", md5: "e734a88a1110fa3d657454b2dd348822" },
    ]);
    expect(t.bytes.toString()).toBe(
      '[{"md5": "e734a88a1110fa3d657454b2dd348822", "relpath": "Z.txt"}, {"md5": "b938b801a0bfbd5ca4825715039e7574", "relpath": "a b.txt"}, {"md5": "e85dde330c34efb0e526ee3082e4353b", "relpath": "\\u00e9.txt"}]',
    );
    expect(t.oid).toBe("b1b6750a64a5845aa0313694225aa1f5.dir");
  });

  it("orders astral characters after the rest of the BMP (code points, not UTF-16 units)", () => {
    const bytes = serializeTree([
      { relpath: "\u{1F600}", md5: "d41d8cd98f00b204e9800998ecf8427e" },
      { relpath: "\uFF01", md5: "d41d8cd98f00b204e9800998ecf8427e" },
    ]).toString();
    expect(bytes.indexOf("\\uff01")).toBeLessThan(bytes.indexOf("\\ud83d\\ude00"));
  });

  it("round-trips and rejects manifests that escape the directory", () => {
    const t = buildTree([{ relpath: "x/y", md5: "60b725f10c9c85c70d97880dfe8191b3" }]);
    expect(parseTree(t.bytes, "t")).toEqual([{ relpath: "x/y", md5: "60b725f10c9c85c70d97880dfe8191b3" }]);
    expect(() => parseTree('[{"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "../etc/passwd"}]', "t")).toThrow(
      /refusing path/,
    );
    expect(() => parseTree('[{"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "/etc/passwd"}]', "t")).toThrow(
      /refusing path/,
    );
    expect(() => parseTree('{"not": "a list"}', "t")).toThrow(/corrupt/);
  });
});
