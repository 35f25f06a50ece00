// Exactly one JSON document on stdout.
export const renderJson = (value: unknown): string => JSON.stringify(value) + "\n";
