/** Probing the current credential of a secret (shared/probes implements it; absent = no probing). */
import type { SecretDescription } from './kms';

export type VerificationResult =
  { status: 'ok' } | { status: 'failed'; reason: string } | { status: 'skipped'; reason: string };

export type Verifier = (description: SecretDescription) => Promise<VerificationResult>;
