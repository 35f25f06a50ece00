import { describe, expect, it } from "vitest";
import { splitByPrefix } from "../../../src/odb/hash-pool.js";

describe("splitByPrefix (work for the hash workers)", () => {
  it("splits object-sorted work only where the fan-out directory changes", () => {
    const oids = ["00a", "00b", "01a", "01b", "01c", "02a", "ffa"];
    const runs = splitByPrefix(oids, 2, (o) => o);
    expect(runs.flat()).toEqual(oids);
    const prefixes = runs.map((r) => new Set(r.map((o) => o.slice(0, 2))));
    expect([...prefixes[0]!].some((p) => prefixes[1]!.has(p))).toBe(false);
    expect(splitByPrefix(["aa1", "aa2", "aa3"], 3, (o) => o)).toEqual([["aa1", "aa2", "aa3"]]);
  });
});
