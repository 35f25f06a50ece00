// Hand-written on purpose: no library formats floats as Python's repr() does.
// Python float semantics that JavaScript numbers lose: `1.0` stays a float, and floats print like
// Python's repr(). DVC copies params values into dvc.lock with their Python type (docs/formats.md §13.2).

/** A number that must be written as a Python float (`3.0`, `1e-05`) even when it is integral. */
export class PyFloat {
  constructor(readonly value: number) {}

  /** Python repr, so that string keys built from a PyFloat read like DVC's (`1.0`). */
  toString(): string {
    return pyFloatRepr(this.value);
  }
}

/**
 * Python's repr(float): the shortest digits that round-trip; exponent form when the decimal
 * exponent is < -4 or >= 16 (`1e-05`, `1.5e+20`); integral values get `.0`.
 * NaN and infinities give `nan`, `inf`, `-inf` as in Python.
 */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const sign = n < 0 ? "-" : "";
  // toExponential() without an argument yields the shortest round-trip digits, like Python's repr.
  const [mantissa = "", expText = "0"] = Math.abs(n).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expAbs = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${expAbs}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === "" ? "0" : frac}`;
}

/** Decimal text of a Python int held in a JS number or bigint (no exponent form, `-0` → `0`). */
export function pyIntRepr(n: number | bigint): string {
  if (typeof n === "bigint") return n.toString();
  if (Object.is(n, -0)) return "0";
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}
