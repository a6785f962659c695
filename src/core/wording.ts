/** Small pieces of wording the core's sentences share (role health, the charter, suggested roles). No imports besides types. */
import type { RoleKey } from './catalogue';

/** A role inside a sentence: "the Product Owner", "the stakeholders". */
export const ROLE_IN_SENTENCE: Readonly<Record<RoleKey, string>> = {
  productOwner: 'the Product Owner',
  scrumMaster: 'the Scrum Master',
  developers: 'the Developers',
  stakeholders: 'the stakeholders',
};

/** "a", "a and b", "a, b and c" (or with "or"). */
export function listWords(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}
