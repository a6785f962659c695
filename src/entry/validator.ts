/** The `jira:workflowValidator` function: refuses a status transition the project's roles do not allow (block mode). */
import { validateTransition, type ValidatorAnswer } from '../app/validator';
import { enforcementDeps } from './deps';

export async function validateStatusTransition(payload: unknown): Promise<ValidatorAnswer> {
  return validateTransition(payload, enforcementDeps());
}
