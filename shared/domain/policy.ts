/** Which interval policy applies to a secret: its environment tag decides (D7), production by default. */
import { envTagToEnvironment } from '../config';
import type { Config, EnvironmentName, IntervalPolicy } from '../config-types';
import type { SecretDescription } from '../ports/kms';

export interface PolicyChoice {
  environment: EnvironmentName;
  policy: IntervalPolicy;
}

/** A missing or unknown tag gets the production policy, the strictest. */
export function policyFor(description: Pick<SecretDescription, 'tags'>, config: Config): PolicyChoice {
  const environment = envTagToEnvironment(description.tags[config.envTagKey]);
  return { environment, policy: config.policies[environment] };
}
