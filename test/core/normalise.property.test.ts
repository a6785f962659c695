import fc from 'fast-check';
import { directMembership, evaluate, normaliseEvent, parseConfigOrThrow, resolveRoles, WATCHED_EVENT_TYPES } from '../../src/core';
import { baseConfig, FIELDS } from '../support/payloads';

const config = parseConfigOrThrow(baseConfig());

function checkAnswer(raw: unknown): void {
  const result = normaliseEvent(raw, FIELDS);
  expect(['event', 'ignored', 'error']).toContain(result.kind);
  if (result.kind === 'error') {
    expect(result.error.issues.length).toBeGreaterThan(0);
    for (const issue of result.error.issues) {
      expect(typeof issue.path).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
    }
  }
  if (result.kind === 'event' && result.event.actor !== null) {
    // Whatever got through can be judged without throwing.
    evaluate(result.event, resolveRoles(config.config, directMembership(result.event.actor)), config);
  }
}

/** Payloads near the real shapes, where the interesting bugs live. */
const item = fc.record(
  {
    field: fc.oneof(fc.constantFrom('Rank', 'status', 'priority', 'assignee', 'Sprint', 'Story Points', 'summary'), fc.string(), fc.anything()),
    fieldId: fc.oneof(fc.constantFrom('status', 'priority', 'assignee', ...Object.values(FIELDS), 'summary'), fc.string(), fc.anything()),
    from: fc.oneof(fc.string(), fc.constant(null), fc.integer(), fc.anything()),
    to: fc.oneof(fc.string(), fc.constant(null), fc.integer(), fc.anything()),
    fromString: fc.oneof(fc.string(), fc.constant(null), fc.anything()),
    toString: fc.oneof(fc.constantFrom('Ranked higher', 'Ranked lower'), fc.string(), fc.constant(null), fc.anything()),
  },
  { requiredKeys: [] },
);
const nearPayload = fc.record(
  {
    eventType: fc.oneof(fc.constantFrom(...WATCHED_EVENT_TYPES, 'avi:jira:deleted:issue'), fc.anything()),
    atlassianId: fc.oneof(fc.string(), fc.constant(null), fc.anything()),
    selfGenerated: fc.oneof(fc.boolean(), fc.anything()),
    issue: fc.oneof(
      fc.record(
        {
          id: fc.oneof(fc.string(), fc.integer(), fc.anything()),
          key: fc.oneof(fc.string(), fc.anything()),
          fields: fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything(), fc.record({ issuetype: fc.anything(), customfield_10020: fc.anything(), sprint: fc.anything() })),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    changelog: fc.oneof(fc.record({ id: fc.anything(), items: fc.oneof(fc.array(item), fc.array(fc.anything()), fc.anything()) }, { requiredKeys: [] }), fc.anything()),
    sprint: fc.oneof(fc.dictionary(fc.constantFrom('id', 'state', 'goal', 'endDate', 'completeDate', 'name'), fc.anything()), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('the normaliser, fed anything', () => {
  it('never throws on arbitrary JSON and answers an event, "ignored" or a typed error', () => {
    fc.assert(fc.property(fc.jsonValue(), (raw) => checkAnswer(raw)), { numRuns: 2000 });
  });

  it('never throws on payloads near the real shapes', () => {
    fc.assert(fc.property(nearPayload, (raw) => checkAnswer(raw)), { numRuns: 3000 });
  });

  it('survives hostile objects: getters that throw, prototype keys, deep nesting', () => {
    const throwing = { eventType: 'avi:jira:updated:issue', get changelog(): never { throw new Error('boom'); } };
    expect(normaliseEvent(throwing).kind).toBe('error');
    const proto = JSON.parse('{"eventType":"avi:jira:created:issue","__proto__":{"polluted":true},"issue":{"id":"1","key":"A-1","constructor":{"prototype":{"x":1}}}}');
    expect(normaliseEvent(proto).kind).toBe('event');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    let deep: unknown = { eventType: 'avi:jira:created:issue', issue: { id: '1', key: 'A-1' } };
    for (let i = 0; i < 5000; i++) deep = { nested: deep, eventType: 'avi:jira:updated:issue' };
    expect(['error', 'ignored']).toContain(normaliseEvent(deep).kind);
  });
});
