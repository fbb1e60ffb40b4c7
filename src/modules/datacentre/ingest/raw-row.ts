import { renderMessage, type Message } from '../../../platform/i18n/messages';

/** A row as read: the values by column, or why the row could not be read at all. */
export type RawRow = { row: number; values: Record<string, unknown> } | { row: number; error: Message };

/**
 * The file cannot be read as a table at all (wrong format, broken encoding, no header): `reason`
 * says why, for the batch's message; the error's own message is its English text.
 */
export class UnreadableFileError extends Error {
  constructor(readonly reason: Message) {
    super(renderMessage(reason, 'en'));
  }
}
