import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULE_CATALOGUE, RULE_IDS, type BlockAction } from '../../src/core';

const BLOCK_WORDS: Record<string, BlockAction> = {
  'rank reverted': 'revert-rank',
  'transition refused': 'refuse-transition',
  'old value restored': 'restore-field',
  'old assignee restored': 'restore-field',
  'removed again': 'remove-from-sprint',
  'flag only': 'none',
};

describe('the README\'s rule table', () => {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const rows = readme
    .split('\n')
    .filter((line) => /^\| `[a-z-]+` \|/.test(line))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));

  it('lists every rule of the engine, in order', () => {
    expect(rows.map((r) => r[0]!.replace(/`/g, ''))).toEqual([...RULE_IDS]);
  });

  it('says what the engine does: allowed roles, default mode, what block means', () => {
    for (const [id, , allowed, defaultMode, blockMeans] of rows) {
      const rule = RULE_CATALOGUE.get(id!.replace(/`/g, '') as (typeof RULE_IDS)[number])!;
      expect(allowed === 'nobody' ? [] : allowed!.split(', ')).toEqual(rule.allowed);
      expect(defaultMode).toBe(rule.defaultMode);
      expect(BLOCK_WORDS[blockMeans!]).toBe(rule.blockAction);
    }
  });
});
