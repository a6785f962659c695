/** The pure core: no Forge import, no I/O, no clock. */
export * from './catalogue';
export * from './config';
export * from './events';
export * from './evaluate';
export * from './issues';
export * from './roles';
export * from './sprint-goals';
export * from './jira-shapes';
export * from './routing';
export * from './undo';
export * from './violations';
export * from './recording';
