/** The `jira:workflowValidator` function: refuses a status transition the project's roles do not allow (block mode). */
import { validateTransition, type ValidatorAnswer } from '../app/validator';
import { isRecord } from '../core/issues';
import { container } from './container';

/** The account id of the invocation context's principal (Forge's second handler argument), if any. */
function principalOf(context: unknown): string | null {
  const principal = isRecord(context) ? context['principal'] : undefined;
  const accountId = isRecord(principal) ? principal['accountId'] : undefined;
  return typeof accountId === 'string' && accountId !== '' ? accountId : null;
}

/**
 * Forge documents the validator's argument as the item, the configuration and the transition, without
 * the person transitioning; the invocation context's principal names them. The argument's own
 * `atlassianId` (as in product events) is used when present, else the principal's account id.
 */
export async function validateStatusTransition(payload: unknown, context?: unknown): Promise<ValidatorAnswer> {
  const principal = principalOf(context);
  const withActor = isRecord(payload) && typeof payload['atlassianId'] !== 'string' && principal !== null ? { ...payload, atlassianId: principal } : payload;
  return validateTransition(withActor, container().validator);
}
