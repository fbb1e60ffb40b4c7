/** A row as read: the values by column, or why the row could not be read at all. */
export type RawRow = { row: number; values: Record<string, unknown> } | { row: number; error: string };

/** The file cannot be read as a table at all (wrong format, broken encoding, no header). */
export class UnreadableFileError extends Error {}
