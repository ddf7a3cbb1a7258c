/** One user-facing string in every language opsfeed speaks; `{name}` marks a parameter. */
export interface MessageEntry {
  en: string;
  ja: string;
}

/** A section of the catalog: message key to its translations. */
export type MessageTable = Record<string, MessageEntry>;
