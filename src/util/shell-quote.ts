// Words quoted for a POSIX shell where they need it, so a printed command line can be pasted back.

const SAFE = /^[\w@%+=:,./~^-]+$/;

export const shellQuote = (word: string): string => (SAFE.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

/** `argv` as one line a shell splits back into the same words. */
export const shellJoin = (argv: readonly string[]): string => argv.map(shellQuote).join(" ");
