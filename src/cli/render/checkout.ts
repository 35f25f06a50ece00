// `dvx checkout` / `dvx pull`: one line per output written to the workspace, with DVC's status letter.
export const checkoutLines = (letter: "M" | "A", paths: readonly string[]): string =>
  paths.map((p) => `${letter}       ${p}\n`).join("");
