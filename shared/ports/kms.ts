/**
 * What the orchestrator needs from KMS Secrets Manager, as plain data. The Alibaba adapter
 * (shared/adapters/alibaba/kms-client.ts) implements it over the wire; tests may use fakes.
 * Dates are epoch milliseconds; intervals are seconds; tags are a plain map.
 */
import type { SecretDescription, SecretVersion, SecretSummary, Tags } from '../domain/secret';

export type {
  AutomaticRotation,
  SecretDescription,
  SecretSummary,
  SecretType,
  SecretVersion,
  Tags,
} from '../domain/secret';

export interface SecretValue {
  secretName: string;
  secretType: string;
  versionId: string;
  versionStages: string[];
  /** Sensitive: never log, alert or store. */
  secretData: string;
  secretDataType?: string;
  createTime?: number;
}

/** ListSecrets' largest PageSize (alibaba-cloud-apis.md §2 ListSecrets: 1-100, default 10): fewest list calls. */
export const LIST_SECRETS_PAGE_SIZE = 100;

export interface ListSecretsOptions {
  fetchTags?: boolean;
  pageSize?: number; // 1..100
  filters?: Array<{ key: string; values: string[] }>;
}

export interface ListSecretsPage {
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  secrets: SecretSummary[];
}

export interface KmsPort {
  /** One page; page numbers start at 1. */
  listSecretsPage(page: number, options?: ListSecretsOptions): Promise<ListSecretsPage>;
  /** Every secret, page after page. */
  listSecrets(options?: ListSecretsOptions): AsyncIterable<SecretSummary>;
  describeSecret(secretName: string, options?: { fetchTags?: boolean }): Promise<SecretDescription>;
  listSecretVersionIds(secretName: string, options?: { includeDeprecated?: boolean }): Promise<SecretVersion[]>;
  getSecretValue(secretName: string, options?: { versionStage?: string; versionId?: string }): Promise<SecretValue>;
  rotateSecret(secretName: string, versionId: string): Promise<{ versionId: string }>;
  tagResource(secretName: string, tags: Tags): Promise<void>;
  untagResource(secretName: string, tagKeys: string[]): Promise<void>;
}
