/**
 * The part of manifest.yml the local host runs: functions, triggers, queue consumers, scheduled
 * triggers, workflow validators, the resolvers of Custom UI modules, and custom-entity indexes.
 * Other modules and properties pass through untouched (the manifest's full validation is
 * @forge/manifest's job, not this file's).
 */
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { EntityIndex } from './kvs-store';

const KeySchema = z.string().regex(/^[a-zA-Z0-9_-]+$/, 'expected a module key of letters, digits, _ and -');

const FunctionModuleSchema = z.object({
  key: KeySchema,
  handler: z.string().regex(/^[^.]+(\/[^.]+)*\.[A-Za-z_$][A-Za-z0-9_$]*$/, "expected '<file>.<export>', e.g. 'index.run'"),
  timeoutSeconds: z.number().optional(),
});

const TriggerModuleSchema = z.object({
  key: KeySchema,
  function: z.string(),
  events: z.array(z.string()).min(1, 'expected at least one event'),
  filter: z
    .object({
      ignoreSelf: z.boolean().optional(),
      expression: z.string().optional(),
      onError: z.enum(['IGNORE', 'IGNORE_AND_LOG', 'RECEIVE', 'RECEIVE_AND_LOG']).optional(),
    })
    .optional(),
});

const ResolverRefSchema = z.object({ function: z.string(), method: z.string().optional() });

const ConsumerModuleSchema = z
  .object({
    key: KeySchema,
    queue: z.string().regex(/^[a-zA-Z0-9-_]+$/, 'expected a queue name of letters, digits, - and _'),
    function: z.string().optional(),
    resolver: ResolverRefSchema.optional(),
  })
  .refine((c) => c.function !== undefined || c.resolver?.method !== undefined, {
    message: 'expected either function or resolver: { function, method }',
  });

const ScheduledTriggerSchema = z.object({ key: KeySchema, function: z.string(), interval: z.string().optional() });

const ProjectTypesSchema = z.array(z.enum(['company-managed', 'team-managed'])).default(['company-managed']);

const WorkflowValidatorSchema = z.object({
  key: KeySchema,
  function: z.string().optional(),
  expression: z.string().optional(),
  errorMessage: z.unknown().optional(),
  projectTypes: ProjectTypesSchema,
});

const WorkflowConditionSchema = z.object({ key: KeySchema, expression: z.string(), projectTypes: ProjectTypesSchema });

const UiModuleSchema = z.looseObject({ key: KeySchema, resource: z.string().optional(), resolver: z.object({ function: z.string() }).optional() });

const EntitySchema = z.object({
  name: z.string(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  indexes: z
    .array(z.union([z.string(), z.object({ name: z.string(), range: z.array(z.string()).optional(), partition: z.array(z.string()).optional() })]))
    .optional(),
});

const ManifestSchema = z.object({
  app: z.looseObject({
    id: z.string().optional(),
    storage: z.object({ entities: z.array(EntitySchema).optional() }).optional(),
  }),
  modules: z.looseObject({
    function: z.array(FunctionModuleSchema).default([]),
    trigger: z.array(TriggerModuleSchema).default([]),
    consumer: z.array(ConsumerModuleSchema).default([]),
    scheduledTrigger: z.array(ScheduledTriggerSchema).default([]),
    'jira:workflowValidator': z.array(WorkflowValidatorSchema).default([]),
    'jira:workflowCondition': z.array(WorkflowConditionSchema).default([]),
  }),
  permissions: z.looseObject({ scopes: z.array(z.string()).optional() }).optional(),
});

export type ForgeManifest = z.infer<typeof ManifestSchema>;
export type TriggerModule = z.infer<typeof TriggerModuleSchema>;
export type ConsumerModule = z.infer<typeof ConsumerModuleSchema>;
export type FunctionModule = z.infer<typeof FunctionModuleSchema>;

/** A module with a resolver, as Custom UI's invoke() reaches it. */
export interface ResolverModule {
  moduleType: string;
  key: string;
  resource: string | undefined;
  functionKey: string;
}

export interface LoadedManifest {
  raw: ForgeManifest;
  functions: Map<string, FunctionModule>;
  triggers: TriggerModule[];
  consumers: ConsumerModule[];
  scheduledTriggers: z.infer<typeof ScheduledTriggerSchema>[];
  workflowValidators: z.infer<typeof WorkflowValidatorSchema>[];
  workflowConditions: z.infer<typeof WorkflowConditionSchema>[];
  resolverModules: ResolverModule[];
  entityIndexes: Record<string, EntityIndex[]>;
  scopes: string[];
  appId: string;
}

export function loadManifest(manifestPath: string): LoadedManifest {
  const text = fs.readFileSync(manifestPath, 'utf8');
  const parsed = ManifestSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${manifestPath}: ${problems}`);
  }
  const raw = parsed.data;
  const functions = new Map(raw.modules.function.map((f) => [f.key, f]));
  const needFunction = (where: string, key: string | undefined): void => {
    if (key !== undefined && !functions.has(key)) throw new Error(`${manifestPath}: ${where} names the function '${key}', which no function module declares`);
  };
  raw.modules.trigger.forEach((t) => needFunction(`trigger '${t.key}'`, t.function));
  raw.modules.consumer.forEach((c) => needFunction(`consumer '${c.key}'`, c.function ?? c.resolver?.function));
  raw.modules.scheduledTrigger.forEach((s) => needFunction(`scheduledTrigger '${s.key}'`, s.function));
  raw.modules['jira:workflowValidator'].forEach((v) => needFunction(`jira:workflowValidator '${v.key}'`, v.function));

  const resolverModules: ResolverModule[] = [];
  for (const [moduleType, modules] of Object.entries(raw.modules)) {
    if (['function', 'trigger', 'consumer', 'scheduledTrigger', 'jira:workflowValidator', 'jira:workflowCondition'].includes(moduleType) || !Array.isArray(modules)) continue;
    for (const candidate of modules) {
      const ui = UiModuleSchema.safeParse(candidate);
      if (!ui.success || !ui.data.resolver) continue;
      needFunction(`${moduleType} '${ui.data.key}'`, ui.data.resolver.function);
      resolverModules.push({ moduleType, key: ui.data.key, resource: ui.data.resource, functionKey: ui.data.resolver.function });
    }
  }

  const entityIndexes: Record<string, EntityIndex[]> = {};
  for (const entity of raw.app.storage?.entities ?? []) {
    entityIndexes[entity.name] = (entity.indexes ?? []).map((index) =>
      typeof index === 'string' ? { name: index, range: [index], partition: [] } : { name: index.name, range: index.range ?? [], partition: index.partition ?? [] },
    );
  }

  return {
    raw,
    functions,
    triggers: raw.modules.trigger,
    consumers: raw.modules.consumer,
    scheduledTriggers: raw.modules.scheduledTrigger,
    workflowValidators: raw.modules['jira:workflowValidator'],
    workflowConditions: raw.modules['jira:workflowCondition'],
    resolverModules,
    entityIndexes,
    scopes: raw.permissions?.scopes ?? [],
    appId: (raw.app.id ?? 'ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000').replace(/^.*\//, ''),
  };
}
