/** Tabs as the WAI-ARIA tabs pattern: arrow keys move between tabs, only the active tab is in the tab order. */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabDefinition<K extends string> {
  id: K;
  label: ReactNode;
  content: () => ReactNode;
}

export function Tabs<K extends string>({ tabs, selected, onSelect, label }: { tabs: readonly TabDefinition<K>[]; selected: K; onSelect: (id: K) => void; label: string }) {
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    const tab = tabs[next]!;
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };
  const active = tabs.find((t) => t.id === selected) ?? tabs[0];
  return (
    <div className="srg-tabs">
      <div role="tablist" aria-label={label}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            id={`${base}-tab-${tab.id}`}
            className="srg-tab"
            role="tab"
            type="button"
            aria-selected={tab.id === active?.id}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={tab.id === active?.id ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {active && (
        <div role="tabpanel" id={`${base}-panel-${active.id}`} aria-labelledby={`${base}-tab-${active.id}`} tabIndex={0}>
          {active.content()}
        </div>
      )}
    </div>
  );
}
