// `dvx config` (and `dvx remote default`) output: a value on its own line; an unset one prints as an empty line.
export const valueLine = (value: string | undefined): string => `${value ?? ""}\n`;
