/** Which interval policy applies to a secret: its environment tag decides (D7), production by default. */
import type { Config, EnvironmentName, IntervalPolicy } from './config-types';
import type { SecretDescription } from './secret';

export interface PolicyChoice {
  environment: EnvironmentName;
  policy: IntervalPolicy;
}

/** The environment tag's value -> which interval policy applies; unknown means the strictest. */
export function envTagToEnvironment(value: string | undefined): EnvironmentName {
  const tag = (value ?? '').trim().toLowerCase();
  if (tag === 'prod' || tag === 'production') return 'production';
  if (tag === 'staging' || tag === 'stage' || tag === 'pre') return 'staging';
  if (tag === 'dev' || tag === 'development' || tag === 'test' || tag === 'sandbox') return 'dev';
  return 'production';
}

/** A missing or unknown tag gets the production policy, the strictest. */
export function policyFor(description: Pick<SecretDescription, 'tags'>, config: Config): PolicyChoice {
  const environment = envTagToEnvironment(description.tags[config.envTagKey]);
  return { environment, policy: config.policies[environment] };
}
