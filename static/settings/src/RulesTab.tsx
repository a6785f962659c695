/** The rules tab: each rule's basis, who may, and its mode (off, flag, or block where Jira can undo it). */
import { DataTable, Select } from '../../kit/components';
import { MODE_HELP, MODE_LABELS, RULE_IDS, RULES, rolesText, type Mode } from '../../kit/labels';
import { canBlock } from '../../../src/core/catalogue';
import { modeOf, withMode, type ConfigDraft } from './draft';

export function RulesTab({ draft, readOnly, issues, onChange }: { draft: ConfigDraft; readOnly: boolean; issues: ReadonlyMap<string, readonly string[]>; onChange: (next: ConfigDraft) => void }) {
  const rows = RULE_IDS.map((id) => RULES[id]);
  return (
    <div className="srg-stack">
      <p className="srg-subtle">
        <strong>Flag</strong>: {MODE_HELP.flag} <strong>Block</strong>: {MODE_HELP.block} Rules that Jira gives no way to undo can only be flagged.
      </p>
      <DataTable
        caption="Rules"
        hideCaption
        rows={rows}
        rowKey={(rule) => rule.id}
        columns={[
          {
            key: 'rule',
            header: 'Rule',
            width: '34%',
            render: (rule) => (
              <div className="srg-stack" style={{ gap: 'var(--srg-space-050)' }}>
                <strong>{rule.title}</strong>
                <span className="srg-small srg-subtle">{rule.message}</span>
              </div>
            ),
          },
          { key: 'basis', header: 'Basis', width: '26%', render: (rule) => <span className="srg-small">{rule.basis}</span> },
          {
            key: 'allowed',
            header: 'Who may',
            render: (rule) => <span className="srg-small">{rule.allowed.length === 0 ? 'Nobody, during a sprint' : rolesText(rule.allowed)}</span>,
          },
          {
            key: 'mode',
            header: 'Mode',
            render: (rule) => (
              <Select<Mode>
                label={`Mode for ${rule.title}`}
                hideLabel
                value={modeOf(draft, rule.id)}
                disabled={readOnly}
                error={issues.get(`rules.${rule.id}`)?.join(' ') ?? null}
                options={(['off', 'flag', 'block'] as const).map((mode) => ({
                  value: mode,
                  label: mode === 'block' && !canBlock(rule.id) ? `${MODE_LABELS.block} (not possible)` : MODE_LABELS[mode],
                  disabled: mode === 'block' && !canBlock(rule.id),
                }))}
                onChange={(mode) => onChange(withMode(draft, rule.id, mode))}
              />
            ),
          },
          {
            key: 'block',
            header: 'What block means',
            render: (rule) => <span className="srg-small">{rule.blockMeans}</span>,
          },
        ]}
      />
    </div>
  );
}
