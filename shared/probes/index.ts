export { verifySecret, planProbe, type VerificationResult, type VerifyDeps } from './verify-secret';
export { PROBE_TAG_KEY, parseProbeTarget, parseProbeTargets, type TargetParse } from './target';
export { probePostgres } from './postgres';
export { probeMysql } from './mysql';
export { probeRedis } from './redis';
export { probeRamAccessKey, type RamExpectation } from './ram';
export type {
  AccessKeyCredential,
  AccountCredential,
  AccountProbe,
  ProbeResult,
  ProbeTarget,
  ProbeTimeouts,
  ProbeEngine,
} from './types';
