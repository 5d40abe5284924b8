/**
 * The one throttle test. KMS answers Rejected.Throttling, other products Throttling,
 * Throttling.User / Throttling.Api, FC ResourceThrottled (alibaba-cloud-apis.md), and the client's
 * own pacing Throttling.ClientPacing. A throttle is never a finding and never a failed attempt.
 */
export function isThrottling(code: string): boolean {
  return code.includes('Throttling') || code === 'ResourceThrottled';
}
