/**
 * The role charter: who holds each Scrum accountability, what each role decides (the rules that
 * allow it), and whom to talk to when something goes against a rule, with the whole as Markdown for
 * a team's wiki. Pure: the names come in already read.
 */
import { ROLE_KEYS, ROLE_LABELS, RULE_IDS, RULES, type Mode, type RoleKey, type RuleId } from './catalogue';
import { listWords, ROLE_IN_SENTENCE } from './wording';

export interface RoleCharterInput {
  readonly projectKey: string;
  /** The mode each rule is in for the project. */
  readonly modes: Readonly<Record<RuleId, Mode>>;
  /** Per role, what the config names, readable: people by display name, groups and project roles by name. */
  readonly holders: Readonly<Record<RoleKey, readonly string[]>>;
}

export interface RoleCharter {
  readonly projectKey: string;
  readonly accountabilities: readonly {
    readonly role: RoleKey;
    readonly label: string;
    /** Display names, groups by name, project roles by name. */
    readonly holders: readonly string[];
    readonly decides: readonly { readonly rule: RuleId; readonly title: string; readonly mode: Mode }[];
  }[];
  /** `who`, e.g. "the Product Owner (Olivia Owen)". */
  readonly talkTo: readonly { readonly rule: RuleId; readonly title: string; readonly who: string }[];
  /** The whole charter as Markdown. */
  readonly markdown: string;
}

const MODE_TEXT: Readonly<Record<Mode, string>> = { off: 'not watched', flag: 'flagged', block: 'blocked' };

/** "the Product Owner (Olivia Owner)", or "the whole Scrum Team" for a rule no role may break. */
function whoFor(rule: RuleId, holders: RoleCharterInput['holders']): string {
  const allowed: readonly RoleKey[] = RULES[rule].allowed;
  if (allowed.length === 0) return 'the whole Scrum Team, at the next Scrum event';
  return listWords(allowed.map((role) => (holders[role].length > 0 ? `${ROLE_IN_SENTENCE[role]} (${holders[role].join(', ')})` : ROLE_IN_SENTENCE[role])));
}

/** Markdown text: no pipes or line breaks from names can break a list item. */
function inline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]|<>])/g, '\\$1');
}

export function buildRoleCharter(input: RoleCharterInput): RoleCharter {
  const accountabilities = ROLE_KEYS.map((role) => ({
    role,
    label: ROLE_LABELS[role],
    holders: [...input.holders[role]],
    decides: RULE_IDS.filter((rule) => (RULES[rule].allowed).includes(role)).map((rule) => ({ rule, title: RULES[rule].title, mode: input.modes[rule] })),
  }));
  const talkTo = RULE_IDS.map((rule) => ({ rule, title: RULES[rule].title, who: whoFor(rule, input.holders) }));

  const lines: string[] = [`# Role charter: ${inline(input.projectKey)}`, '', 'Who holds each Scrum accountability in this project, what each role decides, and whom to talk to when something goes against the roles.', ''];
  for (const a of accountabilities) {
    lines.push(`## ${a.label}`, '');
    lines.push(`Held by: ${a.holders.length > 0 ? a.holders.map(inline).join(', ') : 'nobody yet'}`, '');
    if (a.decides.length > 0) {
      lines.push('Decides:');
      for (const d of a.decides) lines.push(`- ${inline(d.title)} (${MODE_TEXT[d.mode]} when someone else does it)`);
    } else {
      lines.push('Decides no watched change alone; brings ideas to the Product Owner and the Developers.');
    }
    lines.push('');
  }
  lines.push('## Whom to talk to', '');
  for (const t of talkTo) lines.push(`- ${inline(t.title)}: ${inline(t.who)}. ${inline(RULES[t.rule].basis)}`);
  lines.push('');
  return { projectKey: input.projectKey, accountabilities, talkTo, markdown: lines.join('\n') };
}
